//go:build !unix

package artifact

import (
	"errors"
	"os"
)

// mapFile is not available here; Open reads the file instead.
func mapFile(f *os.File, size int64) (*mapping, func(), error) {
	return nil, nil, errors.New("memory mapping not supported")
}
