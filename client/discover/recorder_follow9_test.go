package discover

import (
	"testing"

	"github.com/amfcall/amfcall/client"
)

type notices struct {
	client.NopHandler
	got []client.Notice
}

func (n *notices) OnNotice(x client.Notice) { n.got = append(n.got, x) }

// TestProbeRecorderKnowsStatusNotice: the probe keeps to itself the
// client's warning that an AMF reply came with a status other than 200
// (its report says so of each exchange), and passes every other notice
// on. It knew that warning by its wording, so a change of the words
// would have let it through (and a notice worded like it been dropped):
// it now knows it by Notice.Status.
func TestProbeRecorderKnowsStatusNotice(t *testing.T) {
	next := &notices{}
	rec := &recorder{next: next}
	rec.OnNotice(client.Notice{Warning: true, Status: 500, Msg: "any words at all"})
	rec.OnNotice(client.Notice{Warning: true, Status: 302, Msg: "any words at all"})
	same := client.Notice{Warning: true, Msg: "the gateway answered HTTP 500 Internal Server Error with an AMF reply; it is read all the same (said once)"}
	rec.OnNotice(same)
	other := client.Notice{Warning: true, Msg: "the reply's Content-Type is text/html"}
	rec.OnNotice(other)
	if len(next.got) != 2 || next.got[0] != same || next.got[1] != other {
		t.Errorf("passed on %+v, want the two notices without a status", next.got)
	}
}
