package convert

import (
	"fmt"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/textpos"
)

// encodeAtError is an error of the AMF encoder on a value read from
// JSON: the text parses, but AMF cannot hold the value (an empty dynamic
// member name, traits that do not name the members, a name over 64 KiB).
// The encoder knows the value's path, not where it is in the text; this
// adds where the JSON value (the document) starts. Its text is the
// encoder's followed by the place, and it unwraps to the
// *amf.EncodeError.
type encodeAtError struct {
	err          *amf.EncodeError
	offset       int64
	line, column int
}

func (e *encodeAtError) Error() string {
	return fmt.Sprintf("%v, in the JSON value at line %d, column %d (offset %d)", e.err, e.line, e.column, e.offset)
}

func (e *encodeAtError) Unwrap() error { return e.err }

// encodeAt places err, if it is the encoder's, on the JSON value that
// starts at offset start of data; other errors are returned as they are.
func encodeAt(err error, data []byte, start int) error {
	ee, ok := err.(*amf.EncodeError)
	if !ok || start < 0 || start > len(data) {
		return err
	}
	line, col := textpos.LineCol(data, int64(start))
	return &encodeAtError{err: ee, offset: int64(start), line: line, column: col}
}

// encodeAtValue is encodeAt on the i-th (from 0) top-level JSON value
// of data.
func encodeAtValue(err error, data []byte, i int) error {
	spans, serr := splitValues(data)
	if serr != nil || i < 0 || i >= len(spans) {
		return err
	}
	return encodeAt(err, data, spans[i].start)
}
