package loader

import "go/ast"

// rewrite returns a copy of the type expression e in which every type name
// and qualified name has been passed through f. Field names and the package
// part of a qualified name are left alone. Positions are dropped, so the
// copy prints on its own.
func rewrite[T ast.Expr](e T, f func(ast.Expr) ast.Expr) T {
	return copyExpr(e, f).(T)
}

func copyExpr(e ast.Expr, f func(ast.Expr) ast.Expr) ast.Expr {
	switch e := e.(type) {
	case nil:
		return nil
	case *ast.Ident:
		return f(ast.NewIdent(e.Name))
	case *ast.SelectorExpr:
		return f(&ast.SelectorExpr{X: ast.NewIdent(e.X.(*ast.Ident).Name), Sel: ast.NewIdent(e.Sel.Name)})
	case *ast.StarExpr:
		return &ast.StarExpr{X: copyExpr(e.X, f)}
	case *ast.ParenExpr:
		return &ast.ParenExpr{X: copyExpr(e.X, f)}
	case *ast.Ellipsis:
		return &ast.Ellipsis{Elt: copyExpr(e.Elt, f)}
	case *ast.ArrayType:
		return &ast.ArrayType{Len: copyLen(e.Len), Elt: copyExpr(e.Elt, f)}
	case *ast.MapType:
		return &ast.MapType{Key: copyExpr(e.Key, f), Value: copyExpr(e.Value, f)}
	case *ast.ChanType:
		return &ast.ChanType{Dir: e.Dir, Value: copyExpr(e.Value, f)}
	case *ast.FuncType:
		return &ast.FuncType{Params: copyFields(e.Params, f), Results: copyFields(e.Results, f)}
	case *ast.InterfaceType:
		return &ast.InterfaceType{Methods: copyFields(e.Methods, f)}
	case *ast.StructType:
		return &ast.StructType{Fields: copyFields(e.Fields, f)}
	case *ast.IndexExpr:
		return &ast.IndexExpr{X: copyExpr(e.X, f), Index: copyExpr(e.Index, f)}
	case *ast.IndexListExpr:
		idx := make([]ast.Expr, len(e.Indices))
		for i, x := range e.Indices {
			idx[i] = copyExpr(x, f)
		}
		return &ast.IndexListExpr{X: copyExpr(e.X, f), Indices: idx}
	}
	return e
}

// copyLen keeps an array length as written: constants are not types.
func copyLen(e ast.Expr) ast.Expr {
	if lit, ok := e.(*ast.BasicLit); ok {
		return &ast.BasicLit{Kind: lit.Kind, Value: lit.Value}
	}
	return e
}

func copyFields(fl *ast.FieldList, f func(ast.Expr) ast.Expr) *ast.FieldList {
	if fl == nil {
		return nil
	}
	out := &ast.FieldList{}
	for _, fd := range fl.List {
		var names []*ast.Ident
		for _, n := range fd.Names {
			names = append(names, ast.NewIdent(n.Name))
		}
		var tag *ast.BasicLit
		if fd.Tag != nil {
			tag = &ast.BasicLit{Kind: fd.Tag.Kind, Value: fd.Tag.Value}
		}
		out.List = append(out.List, &ast.Field{Names: names, Type: copyExpr(fd.Type, f), Tag: tag})
	}
	return out
}
