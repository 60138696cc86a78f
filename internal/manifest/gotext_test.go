package manifest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// notGoText are the contract's text fields that reach Go source, if at
// all, only as a quoted string or an import path, checked with their
// fields.
var notGoText = []string{"contract.kind", "contract.package", "contract.imports[0].path"}

// TestGoTextsCoverContract fills every text field of a contract with its
// own path and expects GoTexts to list each, under that path, but those
// that are not Go text: a field added to the contract and not to the list
// fails here before it reaches generated code unchecked.
func TestGoTextsCoverContract(t *testing.T) {
	var k Contract
	var all []string
	fill(reflect.ValueOf(&k).Elem(), "contract", &all)
	var listed []string
	for _, gt := range k.GoTexts() {
		if *gt.Text != gt.Path {
			t.Errorf("GoTexts names %s the field that holds %s", gt.Path, *gt.Text)
		}
		listed = append(listed, *gt.Text)
	}
	for _, p := range all {
		if !slices.Contains(listed, p) && !slices.Contains(notGoText, p) {
			t.Errorf("%s is not in Contract.GoTexts: list it there with its kind, or in notGoText", p)
		}
	}
	for _, p := range notGoText {
		if !slices.Contains(all, p) {
			t.Errorf("notGoText lists %s, which the contract does not have", p)
		}
	}
}

// fill sets every string under v to its path, with one element in each
// slice and every pointer set, and appends the paths to all.
func fill(v reflect.Value, path string, all *[]string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(path)
		*all = append(*all, path)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), path, all)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), path+"[0]", all)
	case reflect.Struct:
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
			fill(v.Field(i), path+"."+name, all)
		}
	case reflect.Bool:
	default:
		panic(fmt.Sprintf("%s: a %s in a contract", path, v.Kind()))
	}
}
