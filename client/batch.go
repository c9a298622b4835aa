package client

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
	"github.com/tidwall/gjson"
)

// MaxBatch is the most calls one packet holds (its message count is a
// 16-bit number).
const MaxBatch = 0xFFFF

// ErrEmptyBatch is a batch with no calls in it.
var ErrEmptyBatch = errors.New(`no calls in it; write one {"target": ..., "args": [...]} per line`)

// BatchError is a line of a batch that is not a call: Line counts from 1.
// Column (from 1, in bytes) is where in the line, for a line that is
// JSON but not a call (the key or value at fault); 0 otherwise (a JSON
// error says its own column).
type BatchError struct {
	Line   int
	Column int
	Err    error
}

func (e *BatchError) Error() string {
	// Each line is read on its own: a JSON error's "line 1, column C" is
	// column C of this line.
	var je *convert.Error
	if errors.As(e.Err, &je) && je.Line == 1 {
		msg := "json: " + je.Err.Error()
		if je.Path != "" {
			msg += fmt.Sprintf(" at %q", je.Path)
		}
		return fmt.Sprintf("line %d, column %d: %s", e.Line, je.Column, msg)
	}
	if e.Column > 0 {
		return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *BatchError) Unwrap() error { return e.Err }

// ParseBatch reads JSON lines, one call each: {"target": "svc.method",
// "args": [...]} ("args" may be left out), in plain or typed JSON. Blank
// lines are skipped. A line that is not a call is a *BatchError; no call
// at all is ErrEmptyBatch; more than MaxBatch calls is an error too.
func ParseBatch(data []byte) ([]Call, error) {
	return ParseBatchWarn(data, nil)
}

// ParseBatchWarn is [ParseBatch] telling warn (when the batch is read)
// of member keys given twice in an object of the arguments: they are
// sent as given, both in order, and the one warning names the first with
// its line and column in data, as convert warns of a JSON text. "target"
// or "args" given twice in a call is a *BatchError.
func ParseBatchWarn(data []byte, warn func(msg string)) ([]Call, error) {
	return ParseBatchIn(data, amf.AMF0, warn)
}

// ParseBatchIn is [ParseBatchWarn] for calls whose arguments are written
// in ver (AMF3 for --amf3 and Flex calls): there, it also warns once of
// the dates whose "$tz" AMF3 cannot hold, and of redundant {"$amf3": ...}
// wrappers, as the arguments of one call are warned of.
func ParseBatchIn(data []byte, ver amf.Version, warn func(msg string)) ([]Call, error) {
	var calls []Call
	var dups convert.DupKeys
	for n, start := 0, 0; start < len(data); n++ {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		line := data[start:end]
		lineStart := start
		start = end + 1
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		// col is where in the line: the key (value false) or the value
		// of the nth (from 0) member named name, "" for the line's
		// first byte that is not blank.
		col := func(name string, nth int, value bool) int {
			if name == "" {
				return len(line) - len(bytes.TrimLeft(line, " \t\r")) + 1
			}
			return memberColumn(line, name, nth, value)
		}
		failAt := func(column int, format string, a ...any) error {
			return &BatchError{Line: n + 1, Column: column, Err: fmt.Errorf(format, a...)}
		}
		fail := func(format string, a ...any) error { return failAt(0, format, a...) }
		v, err := dups.FromJSONIn(data, lineStart, end, ver)
		if err != nil {
			return nil, &BatchError{Line: n + 1, Err: err}
		}
		o, ok := v.(*amf.Object)
		if !ok || o.Class != "" {
			return nil, failAt(col("", 0, false), `want an object {"target": "svc.method", "args": [...]}`)
		}
		var call Call
		twice := func(key string) error {
			return failAt(col(key, 1, false), `%q is given twice (a call has one "target" and one "args")`, key)
		}
		var hasTarget, hasArgs bool
		for _, m := range o.Members {
			switch m.Name {
			case "target":
				if hasTarget {
					return nil, twice(m.Name)
				}
				hasTarget = true
				call.Target, _ = m.Value.(string)
			case "args":
				if hasArgs {
					return nil, twice(m.Name)
				}
				hasArgs = true
				a, ok := m.Value.(*amf.Array)
				if !ok || len(a.Assoc) > 0 {
					return nil, failAt(col(m.Name, 0, true), `"args" must be a JSON array`)
				}
				call.Args = a.Dense
			default:
				return nil, failAt(col(m.Name, 0, false), `unknown key %q (want "target" and "args")`, m.Name)
			}
		}
		if !hasTarget {
			return nil, failAt(col("", 0, false), `no "target": want {"target": "svc.method", "args": [...]}`)
		}
		if call.Target == "" {
			return nil, failAt(col("target", 0, true), `"target" must be a non-empty string`)
		}
		calls = append(calls, call)
		if len(calls) > MaxBatch {
			return nil, fail("more than %d calls; a packet holds at most %d", MaxBatch, MaxBatch)
		}
	}
	if len(calls) == 0 {
		return nil, ErrEmptyBatch
	}
	dups.Warn(data, warn)
	return calls, nil
}

// memberColumn is the column (from 1, in bytes) in line, a JSON object,
// of the key of its nth (from 0) member named name, or of that member's
// value; 0 when there is none. Typed JSON's "$$"-escaped keys are not
// "target" or "args", which are the names asked for.
func memberColumn(line []byte, name string, nth int, value bool) int {
	column, seen := 0, 0
	gjson.ParseBytes(line).ForEach(func(k, v gjson.Result) bool {
		if k.Str != name {
			return true
		}
		if seen < nth {
			seen++
			return true
		}
		if value {
			column = v.Index + 1
		} else {
			column = k.Index + 1
		}
		return false
	})
	return column
}
