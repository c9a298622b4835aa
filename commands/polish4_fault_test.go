package commands

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestSubscribeFaultMidStream: a poll answered with an ErrorMessage
// after a message printed the fault's JSON on stdout among the message
// lines and exited 1, and stderr said only "Server.Poll: no more": a
// script reading the lines (subscribe ... | jq .body) met a line with no
// body and nothing said which it was. The line stays what cli.md asks
// ("the fault is printed as JSON on stdout"), in call's shape for a Flex
// fault (the same keys, faultCode first); stderr now says a poll after
// 1 message got it and that the last line is the fault. With -q body -r
// the fault is printed whole, as call prints one.
func TestSubscribeFaultMidStream(t *testing.T) {
	t.Parallel()
	msg := &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{{Name: "body", Value: "hello"}, {Name: "destination", Value: "chat"}, {Name: "messageId", Value: "M1"}}}
	fields := []amf.Member{{Name: "faultCode", Value: "Server.Poll"}, {Name: "faultString", Value: "no more"}, {Name: "faultDetail", Value: "the queue went away"},
		{Name: "rootCause", Value: nil}, {Name: "extendedData", Value: nil}, {Name: "messageId", Value: "E1"}}
	// call's line for the same ErrorMessage, from a gateway that faults
	// every Flex message but the ping.
	callLine, _, code := run(t, []string{"call", "--destination", "x", flexFaultServer(t, fields...), "op"}, "", nil, false)
	if code != 1 {
		t.Fatalf("call: exit %d", code)
	}
	for _, tc := range []struct {
		flags []string
		first string
	}{
		{nil, `{"destination":"chat","subtopic":null,"messageId":"M1","timestamp":null,"headers":{},"body":"hello"}`},
		{[]string{"-q", "body", "-r"}, "hello"},
	} {
		var polls atomic.Int64
		u, _ := oddPollServer(t, func() any {
			if polls.Add(1) == 1 {
				return flexReply(amf.ClassAcknowledgeMessage, &amf.Array{Dense: []any{msg}})
			}
			return &amf.Object{Class: amf.ClassErrorMessage, Members: fields}
		})
		stdout, stderr, code := run(t, append([]string{"subscribe", "--interval", "10ms", u, "chat"}, tc.flags...), "", nil, false)
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		want := "amfcall: error: subscribe to chat: a poll after 1 message was answered with a fault, so subscribe stopped: Server.Poll: no more\n" +
			`amfcall: hint: the last line on stdout is that fault, not a message: its JSON as call prints a fault ({"faultCode", "faultString", ...})` + "\n"
		if code != 1 || len(lines) != 2 || lines[0] != tc.first || lines[1]+"\n" != callLine || stderr != want {
			t.Errorf("subscribe %q: exit %d\nstdout:\n%s\nstderr:\n%s\nwant the message, then call's line:\n%s\nand stderr:\n%s", tc.flags, code, stdout, stderr, callLine, want)
		}
		var fault struct{ FaultCode string }
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &fault); err != nil || fault.FaultCode != "Server.Poll" {
			t.Errorf("the last line %q: %v, faultCode %q", lines[len(lines)-1], err, fault.FaultCode)
		}
	}
}
