//go:build !unix

package commands

import "os"

// mapFile reports false: files are read.
func mapFile(f *os.File, size int64) ([]byte, bool) { return nil, false }

// mapSupported says whether mapFile can map a file here.
const mapSupported = false

func dropPages(m []byte) {}
