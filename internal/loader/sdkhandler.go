package loader

import (
	"bytes"
	"fmt"
	"go/printer"
	"go/token"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// fillHandler completes a handlers contract. The handler's type is the
// SDK's declaration named by handler.sdkType, or the func type the base
// file writes as handler.type, such as func(http.ResponseWriter,
// *http.Request) for a host that asserts that type inline and declares
// none of its own. Given both, they must agree.
func (p *SDK) fillHandler(k *manifest.Contract, q *sdkQualifier) error {
	h := k.Handler
	if h == nil || (h.SDKType == "" && h.Type == "") {
		return fmt.Errorf("contract.handler: required in the base file: the handlers' type, as type (a Go func type such as func(http.ResponseWriter, *http.Request)) or sdkType (a type the SDK declares, such as sdk.Middleware)")
	}
	given := h.Type
	if given != "" {
		// Its packages are resolved and checked with the base file's
		// other types; here it is only written as gofmt would.
		ft, err := manifest.ParseSignature(given)
		if err != nil {
			return fmt.Errorf("base file: contract.handler.type: %w", err)
		}
		var b bytes.Buffer
		if err := printer.Fprint(&b, token.NewFileSet(), ft); err != nil {
			return err
		}
		h.Type = b.String()
	}
	if h.SDKType == "" {
		return nil
	}
	pkg, name, _ := strings.Cut(h.SDKType, ".")
	if pkg != p.Name {
		return fmt.Errorf("base file: contract.handler.sdkType: %s is not a type of the contract package %s: write the handlers' func type as contract.handler.type instead", h.SDKType, p.Path)
	}
	d, err := p.funcDecl(name, q)
	if err != nil {
		return fmt.Errorf("contract.handler: %w", err)
	}
	if given != "" && d.sig != h.Type {
		return fmt.Errorf("base file: contract.handler.type: %s disagrees with %s, which is %s: drop one of the two", given, h.SDKType, d.sig)
	}
	h.Type = d.sig
	h.SDKType = q.sdkType(name)
	if h.Doc == "" {
		h.Doc = d.doc
	}
	return nil
}
