package commands

import "github.com/amfcall/amfcall/internal/teststride"

// testStride is 1 unless AMFCALL_TEST_STRIDE=N is set, as
// .ci/windows-tests sets it for the run under Wine (see
// convert/testfiles_test.go): then a test that runs the same command on
// every file of the test data takes every Nth file, the Linux run of the
// same tree having taken them all.
var testStride = teststride.N
