package convert

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

// WriteFLVJSON names an empty input as Load does ("the input is empty",
// net17), and a reader that fails before its first byte by its error,
// not as empty.
func TestWriteFLVJSONEmpty(t *testing.T) {
	var b bytes.Buffer
	if _, err := WriteFLVJSON(&b, bytes.NewReader(nil), "x.flv", &Options{}); err == nil || err.Error() != "x.flv: the input is empty" {
		t.Errorf("empty: %v", err)
	}
	_, err := WriteFLVJSON(&b, iotest.ErrReader(errors.New("disk on fire")), "x.flv", &Options{})
	if err == nil || strings.Contains(err.Error(), "empty") || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("failing reader: %v", err)
	}
}
