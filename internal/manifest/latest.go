package manifest

import (
	"fmt"
	"net/url"

	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// latestURLRE is what a host.latest URL may hold: URL characters, but no
// quote, brace or space, so that it sits in a YAML value or a shell word of
// generated files as it is.
var latestURLRE = lazyre.New(`^https://[A-Za-z0-9._~:/?#@!$&()*+,;=%-]+$`)

// CheckLatestURL checks host.latest: an HTTPS URL of at most 2048
// characters with a host.
func CheckLatestURL(s string) error {
	if len(s) > 2048 || !latestURLRE.MatchString(s) {
		return fmt.Errorf("%q is not an https:// URL (of at most 2048 characters, without quotes, braces or spaces)", s)
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return fmt.Errorf("%q is not an https:// URL with a host (and no user)", s)
	}
	return nil
}
