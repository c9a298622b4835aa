package client

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

// MaxBatch is the most calls one packet holds (its message count is a
// 16-bit number).
const MaxBatch = 0xFFFF

// ErrEmptyBatch is a batch with no calls in it.
var ErrEmptyBatch = errors.New(`no calls in it; write one {"target": ..., "args": [...]} per line`)

// BatchError is a line of a batch that is not a call: Line counts from 1.
type BatchError struct {
	Line int
	Err  error
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
		fail := func(format string, a ...any) error {
			return &BatchError{Line: n + 1, Err: fmt.Errorf(format, a...)}
		}
		v, err := dups.FromJSONIn(data, lineStart, end, ver)
		if err != nil {
			return nil, &BatchError{Line: n + 1, Err: err}
		}
		o, ok := v.(*amf.Object)
		if !ok || o.Class != "" {
			return nil, fail(`want an object {"target": "svc.method", "args": [...]}`)
		}
		var call Call
		twice := func(key string) error {
			return fail(`%q is given twice (a call has one "target" and one "args")`, key)
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
					return nil, fail(`"args" must be a JSON array`)
				}
				call.Args = a.Dense
			default:
				return nil, fail(`unknown key %q (want "target" and "args")`, m.Name)
			}
		}
		if call.Target == "" {
			return nil, fail(`"target" must be a non-empty string`)
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
