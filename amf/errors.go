package amf

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/internal/textcut"
)

// Sentinel errors, wrapped by [*SyntaxError]; test with errors.Is.
var (
	ErrBadMarker             = errors.New("unknown or invalid marker")
	ErrReference             = errors.New("invalid reference")
	ErrInvalidUTF8           = errors.New("invalid UTF-8")
	ErrUnknownExternalizable = errors.New("unknown externalizable class")
	ErrTrailingData          = errors.New("trailing data")
	ErrVersion               = errors.New("unsupported packet version")
	ErrUnencodable           = errors.New("value cannot be encoded")
)

// SyntaxError is a decoding failure. It says which wire version failed,
// where (the byte offset of the value that could not be read, and the path
// to it from the top-level value) and why (Err, which wraps a sentinel, a
// limit error or io.ErrUnexpectedEOF).
type SyntaxError struct {
	Version string // "amf0", "amf3" or "amf"
	Offset  int64
	Path    string
	Err     error
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString(e.Version)
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Path != "" {
		b.WriteString(" within ")
		b.WriteString(quoteShort(e.Path, 100))
	}
	fmt.Fprintf(&b, " at offset %d", e.Offset)
	return b.String()
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// MaxDepthError reports nesting deeper than DecOptions.MaxDepth.
type MaxDepthError struct{ Limit int }

func (e *MaxDepthError) Error() string {
	return fmt.Sprintf("nesting depth exceeds the limit of %d", e.Limit)
}

// MaxElementsError reports an array, object, vector or dictionary with more
// elements than DecOptions.MaxElements.
type MaxElementsError struct {
	Limit int
	Count int64
}

func (e *MaxElementsError) Error() string {
	return fmt.Sprintf("%d elements exceed the limit of %d", e.Count, e.Limit)
}

// MaxLengthError reports a string, XML text or ByteArray longer than
// DecOptions.MaxLength.
type MaxLengthError struct {
	Limit  int
	Length int64
}

func (e *MaxLengthError) Error() string {
	return fmt.Sprintf("length %d exceeds the limit of %d bytes", e.Length, e.Limit)
}

// MaxReferencesError reports a reference table grown past
// DecOptions.MaxReferences entries.
type MaxReferencesError struct{ Limit int }

func (e *MaxReferencesError) Error() string {
	return fmt.Sprintf("reference table exceeds the limit of %d entries", e.Limit)
}

// TrailingDataError reports bytes left after a complete value or packet.
type TrailingDataError struct {
	N      int   // number of bytes left
	Offset int64 // where they start
}

func (e *TrailingDataError) Error() string {
	return fmt.Sprintf("amf: %d bytes of trailing data at offset %d", e.N, e.Offset)
}

func (e *TrailingDataError) Unwrap() error { return ErrTrailingData }

// EncodeError reports a value the encoder cannot write.
type EncodeError struct {
	Version string
	Path    string
	Err     error
	// Segs are Path's segments, outermost first, neither escaped nor
	// cut (Path is cut at MaxPath): what a caller that knows the value's
	// source (convert's JSON text) follows to say where it is.
	Segs []string
}

func (e *EncodeError) Error() string {
	s := e.Version + ": " + e.Err.Error()
	if e.Path != "" {
		s += " within " + quoteShort(e.Path, 100)
	}
	return s
}

func (e *EncodeError) Unwrap() error { return e.Err }

// pathError carries the path, built from the inside out as the error
// travels up through the containers.
type pathError struct {
	segs []string // innermost first
	err  error
}

func (e *pathError) Error() string { return e.err.Error() }

// withSeg prepends a path segment to err (kept as a pathError).
func withSeg(err error, seg string) error {
	if pe, ok := err.(*pathError); ok {
		pe.segs = append(pe.segs, seg)
		return pe
	}
	return &pathError{segs: []string{seg}, err: err}
}

// joinPath is the JSON pointer of segs (innermost first), an encoding
// error's Path, cut at MaxPath as a decoding error's is: a longer one is
// cut at a character boundary and ends in "...". A Go value may name one
// long member name at every level, as a hostile input may: whole, 500
// levels under a 1 MB name made a path of 500 MB.
func joinPath(segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	var b []byte
	for i := len(segs) - 1; i >= 0; i-- {
		seg := segs[i]
		if len(seg) > MaxPath {
			seg = seg[:MaxPath+1] // what can be kept of it, and more: escaping it all costs
		}
		b = append(b, '/')
		b = append(b, escapePointer(seg)...)
		if len(b) > MaxPath {
			return string(append(b[:textcut.At(string(b), MaxPath)], cutMark...))
		}
	}
	return string(b)
}

// escapePointer escapes a JSON Pointer reference token (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// quoteShort quotes s, cut to at most n bytes (textcut.Cut).
func quoteShort(s string, n int) string {
	return strconv.Quote(textcut.Cut(s, n))
}

// decErr is the error made at the failure point: offset and version.
type decErr struct {
	ver    string
	offset int64
	err    error
}

func (e *decErr) Error() string { return e.err.Error() }

func finishEncErr(err error, ver Version) error {
	var segs []string
	if pe, ok := err.(*pathError); ok {
		segs = pe.segs
		err = pe.err
	}
	if ee, ok := err.(*EncodeError); ok {
		ee.Path, ee.Segs = joinPath(segs), outerFirst(segs)
		return ee
	}
	return &EncodeError{Version: ver.String(), Path: joinPath(segs), Err: err, Segs: outerFirst(segs)}
}

// outerFirst is segs (innermost first) outermost first; nil when empty.
func outerFirst(segs []string) []string {
	if len(segs) == 0 {
		return nil
	}
	out := make([]string, len(segs))
	for i, s := range segs {
		out[len(segs)-1-i] = s
	}
	return out
}

// refError is a reference to an entry its table does not have.
type refError struct {
	table  string
	index  int
	length int
}

func (e *refError) Error() string {
	return fmt.Sprintf("invalid %s reference %d (table has %d)", e.table, e.index, e.length)
}

func (e *refError) Unwrap() error { return ErrReference }

// ShortStreamError is a [ByteArrayStream] whose reader ended before the
// length the stream gave (a file that shrank while it was sent). It
// wraps io.ErrUnexpectedEOF.
type ShortStreamError struct {
	Read    int64 // bytes the reader gave
	Missing int64 // bytes short of the length
}

func (e *ShortStreamError) Error() string {
	return fmt.Sprintf("amf: the ByteArray's reader ended after %d bytes, %d short of its length", e.Read, e.Missing)
}

func (e *ShortStreamError) Unwrap() error { return io.ErrUnexpectedEOF }
