// Package teststride is the size of the sample that the tests of pure
// logic take when AMFCALL_TEST_STRIDE asks for one: .ci/windows-tests sets
// it for the run under Wine, whose file calls are slow, while the Linux
// run of the same commit takes every cut and every file. Only tests
// import it.
package teststride

import (
	"os"
	"strconv"
)

// N is 1 (take everything) unless AMFCALL_TEST_STRIDE=N is set: then a
// test that sweeps every cut of an input, or every file of the test data,
// takes every Nth.
var N = func() int {
	n, err := strconv.Atoi(os.Getenv("AMFCALL_TEST_STRIDE"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}()
