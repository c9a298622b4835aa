package convert

import (
	"bytes"
	"strings"
	"testing"
)

// A member of a packet, header, message or .sol object given twice is
// refused, naming it and where the second one is, by the value path and
// (since the direct writers leave such a text to it) by RenderTo alike.
// Before, "messages" took the first and every other member the last.
// (A key given twice in a .sol's "data" is a member, written twice with
// a warning: TestDuplicateKeysWritten.)
func TestDuplicateEnvelopeMember(t *testing.T) {
	for _, c := range []struct {
		in, want string
		sol      bool
	}{
		{`{"messages":[{"target":"a","value":1}],"messages":[]}`, `"messages" is given twice in a packet at "/messages", line 1, column 51`, false},
		{`{"version":0,"version":3,"messages":[]}`, `"version" is given twice in a packet at "/version", line 1, column 24`, false},
		{`{"messages":[{"target":"a","target":"b","value":1}]}`, `"target" is given twice in a message at "/messages/0/target", line 1, column 37`, false},
		{`{"headers":[{"name":"h","value":1,"value":2}],"messages":[]}`, `"value" is given twice in a header at "/headers/0/value", line 1, column 43`, false},
		{`{"sol":"x","version":0,"data":{},"sol":"y"}`, `"sol" is given twice in a .sol at "/sol", line 1, column 40`, true},
	} {
		var err error
		if c.sol {
			_, err = SOLFromJSON([]byte(c.in))
		} else {
			_, err = PacketFromJSON([]byte(c.in))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: value path: %v, want %q", c.in, err, c.want)
		}
		var out bytes.Buffer
		var ok bool
		if c.sol {
			_, ok, err = solDirect(nil, &out, []byte(c.in), nil)
		} else {
			_, ok, err = packetDirect(nil, &out, []byte(c.in), nil)
		}
		if ok || out.Len() > 0 {
			t.Errorf("%s: the direct path took it (%v) and wrote % x", c.in, err, out.Bytes())
		}
	}
}
