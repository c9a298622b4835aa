package amf

import "github.com/amfcall/amfcall/internal/teststride"

// testStride is 1 unless AMFCALL_TEST_STRIDE=N is set, as
// .ci/windows-tests sets it for the run under Wine (see
// convert/testfiles_test.go): then the tests that check pure logic on
// every cut of an input, or on every file of the test data, take every
// Nth (sampled says which), the Linux run of the same tree having taken
// them all.
var testStride = teststride.N

// sampled says whether the i-th of n cuts or files is taken: all of them
// for a stride of 1; else every testStride-th, and the first and last 16
// (a cut near either end of the input is where the framing is read).
func sampled(i, n int) bool {
	return testStride == 1 || i%testStride == 0 || i < 16 || i >= n-16
}
