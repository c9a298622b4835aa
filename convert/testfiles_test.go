package convert

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/amfcall/amfcall/internal/teststride"
)

// The differential tests (errpath_test.go, typeddirect_test.go,
// packetdirect_test.go, jsonpacket_test.go, jsonsol_test.go) read every
// file under the test data folders: about 9,700 files, each test walking
// them again. A folder is now walked and read once per test process, by
// readTree, and the tests share what it read. Under Wine, whose file
// calls are slow, one walk took 20 to 30 s.

// testStride is 1 (every file), unless AMFCALL_TEST_STRIDE=N asks the
// differential tests to read every Nth file of each folder only, in walk
// order (a deterministic sample that spans every folder and fuzz
// corpus). .ci/windows-tests sets it for the run under Wine: those tests
// check pure logic, which the Linux run of the same commit checks on
// every file, and what is Windows' own there (reading files) a sample
// shows as well. Their thresholds (how many inputs must fail, or be taken
// by a direct path) are divided by the stride with atLeast.
var testStride = teststride.N

// atLeast is a threshold of a differential test for the inputs this run
// reads: n for every file, n/testStride for a sample.
func atLeast(n int) int {
	return n / testStride
}

// treeFile is a regular file under a test data folder and its bytes.
type treeFile struct {
	path string
	data []byte
}

type tree struct {
	once  sync.Once
	files []treeFile
	err   error
}

var trees sync.Map // root -> *tree

// readTree returns the regular files under root in filepath.WalkDir's
// order (every testStride-th of them), read once per test process, each
// caller given its own copy of the bytes (a test that changes its input
// changes no other's). A missing root is an error, as it was for the
// walks it replaces.
func readTree(root string) ([]treeFile, error) {
	v, _ := trees.LoadOrStore(root, new(tree))
	tr := v.(*tree)
	tr.once.Do(func() {
		i := 0
		tr.err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			i++
			if (i-1)%testStride != 0 {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			tr.files = append(tr.files, treeFile{path, data})
			return nil
		})
	})
	out := make([]treeFile, len(tr.files))
	for i, f := range tr.files {
		out[i] = treeFile{f.path, bytes.Clone(f.data)}
	}
	return out, tr.err
}
