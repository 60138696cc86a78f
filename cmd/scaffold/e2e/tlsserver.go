package e2e

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// tlsserver VAR: serve the work directory's srv/ over HTTPS on the
// loopback interface until the script ends, set VAR to its URL, and make
// the server's certificate the only root scaffold trusts (SSL_CERT_FILE).
// Beside the files, /big.yaml sends 9 MiB without saying so up front,
// /declared-big.yaml says 9 MiB in its Content-Length, and /slow/NAME
// serves srv/NAME after 3 s.
func cmdTLSServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: tlsserver VAR")
	}
	dir := ts.MkAbs("srv")
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/big.yaml":
			chunk := []byte(strings.Repeat("# padding\n", 1024))
			for i := 0; i < 9<<20/len(chunk)+1; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case r.URL.Path == "/declared-big.yaml":
			w.Header().Set("Content-Length", "9437184")
			w.WriteHeader(http.StatusOK)
		case strings.HasPrefix(r.URL.Path, "/slow/"):
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
				return
			}
			r.URL.Path = strings.TrimPrefix(r.URL.Path, "/slow")
			files.ServeHTTP(w, r)
		default:
			files.ServeHTTP(w, r)
		}
	}))
	ts.Defer(srv.Close)
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ca := ts.MkAbs("tlsserver-ca.pem")
	ts.Check(os.WriteFile(ca, cert, 0o644))
	ts.Setenv("SSL_CERT_FILE", ca)
	ts.Setenv(args[0], srv.URL)
}
