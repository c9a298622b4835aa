package socket

import (
	"errors"
	"strconv"

	"github.com/amfcall/amfcall/amf"
)

// ErrOverBudget is wrapped by the error a connection ends with when a
// frame's values alone would take more, once decoded, than the whole
// Options.Budget (one that says its Size).
var ErrOverBudget = errors.New("more than the memory budget")

// ErrorOf reports whether result is the conventional error result
// {"error": {"code": ..., "message": ...}} (see [ErrorResult]): an
// object whose "error" member is an object. code and message are its
// members as text ("" when missing; a number's digits).
func ErrorOf(result any) (code, message string, ok bool) {
	top, isObj := amf.Unwrap(result).(*amf.Object)
	if !isObj {
		return "", "", false
	}
	e, _ := top.Get("error")
	inner, isObj := amf.Unwrap(e).(*amf.Object)
	if !isObj {
		return "", "", false
	}
	c, _ := inner.Get("code")
	m, _ := inner.Get("message")
	return memberText(c), memberText(m), true
}

// memberText is a string or a number as text, anything else "".
func memberText(v any) string {
	switch x := amf.Unwrap(v).(type) {
	case string:
		return x
	case amf.Int:
		return strconv.FormatInt(int64(x), 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return ""
}
