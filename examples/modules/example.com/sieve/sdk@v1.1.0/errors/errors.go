// Package errors declares the errors the sieve understands from plugins.
package errors

import "fmt"

// A Rejection stops a request with a status and a reason.
type Rejection struct {
	Status int
	Reason string
}

func (r *Rejection) Error() string { return fmt.Sprintf("%d %s", r.Status, r.Reason) }
