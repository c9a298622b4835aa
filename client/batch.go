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
	var calls []Call
	for n, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fail := func(format string, a ...any) error {
			return &BatchError{Line: n + 1, Err: fmt.Errorf(format, a...)}
		}
		v, err := convert.FromJSON(line)
		if err != nil {
			return nil, &BatchError{Line: n + 1, Err: err}
		}
		o, ok := v.(*amf.Object)
		if !ok || o.Class != "" {
			return nil, fail(`want an object {"target": "svc.method", "args": [...]}`)
		}
		var call Call
		for _, m := range o.Members {
			switch m.Name {
			case "target":
				call.Target, _ = m.Value.(string)
			case "args":
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
	return calls, nil
}
