//go:build !unix

package commands

import "os"

// mapFile reports false: files are read.
func mapFile(f *os.File, size int64) ([]byte, bool) { return nil, false }
