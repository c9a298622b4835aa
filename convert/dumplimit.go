package convert

import (
	"fmt"
	"io"
)

// A dump (amf's WriteDumpText and WriteDumpJSON) writes, for every byte
// range, its text and, in JSON, its path: a name or string sent once and
// named by a 1-byte reference at each use is shown again at each, so a
// hostile input of a MB dumps to tens of MB (each path is cut at
// amf.MaxPath, each string shown at 60 bytes). Its output is bounded as
// the JSON writers' is (Options.MaxOutput), with an error of its own.

// DumpOutputLimitError reports a dump that grew past its bound. It
// unwraps to an [OutputLimitError].
type DumpOutputLimitError struct{ OutputLimitError }

func (e *DumpOutputLimitError) Error() string {
	return fmt.Sprintf("dump: output exceeds %d bytes (each byte range is written out with its text and path, and names and strings sent by reference at each use)", e.Limit)
}

func (e *DumpOutputLimitError) Unwrap() error { return &e.OutputLimitError }

// LimitDumpOutput returns w bounded for a dump: the write that would
// take the bytes written past limit() writes the bytes up to it and
// fails with a [*DumpOutputLimitError], as does every write after it.
// limit is asked at each write, so that a bound may grow with the input
// read so far (a stream whose size is not known).
func LimitDumpOutput(w io.Writer, limit func() int64) io.Writer {
	return &limitWriter{w: w, grow: limit, fail: func(lim int64) error {
		return &DumpOutputLimitError{OutputLimitError{lim}}
	}}
}
