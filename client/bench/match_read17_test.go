package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// notices keeps the warnings a run passes on.
type notices struct {
	client.NopHandler
	mu   sync.Mutex
	msgs []string
}

func (n *notices) OnNotice(no client.Notice) {
	if no.Warning {
		n.mu.Lock()
		n.msgs = append(n.msgs, no.Msg)
		n.mu.Unlock()
	}
}

// TestBenchMatchesAsCall (read17): bench matched replies strictly by
// response URI, so a gateway that answers a call under a target of ""
// or "null", or a whole batch with one "/onStatus" (AMFPHP's refusal),
// was counted as calls without an answer, while call reads those
// replies. bench now counts what call counts, with one warning for the
// run, not one per request.
func TestBenchMatchesAsCall(t *testing.T) {
	t.Parallel()
	fault := &amf.Object{Members: []amf.Member{{Name: "faultCode", Value: "Auth"}, {Name: "faultString", Value: "denied"}}}
	for _, tc := range []struct {
		name             string
		reply            amf.Message
		calls            int
		ok, faults, none int64
		warning          string
	}{
		{"empty target", amf.Message{Target: "", Response: "null", Value: "hi"}, 1, 8, 0, 0, `the reply's body "" names no call`},
		{"null target", amf.Message{Target: "null", Response: "null", Value: "hi"}, 1, 8, 0, 0, `the reply's body "null" names no call`},
		{"onStatus for a batch", amf.Message{Target: "/onStatus", Response: "null", Value: fault}, 3, 0, 24, 0, `the reply's fault "/onStatus" names no call`},
		{"another call's number", amf.Message{Target: "/7/onResult", Response: "null", Value: "hi"}, 1, 8, 0, 0, `the reply's body "/7/onResult" is numbered for a call the request did not make`},
		{"another call's number in a batch", amf.Message{Target: "/7/onResult", Response: "null", Value: "hi"}, 2, 0, 0, 16, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{tc.reply}})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", client.ContentType)
				w.Write(body)
			}))
			defer srv.Close()
			calls := make([]client.Call, tc.calls)
			for i := range calls {
				calls[i] = client.Call{Target: "svc.m" + string(rune('a'+i))}
			}
			ev := &notices{}
			s, err := Run(context.Background(), Config{URL: srv.URL + "/", Calls: calls, Concurrency: 2, Count: 8,
				Client: client.Config{Events: ev}})
			if err != nil {
				t.Fatal(err)
			}
			if s.OK != tc.ok || s.Faults != tc.faults || s.NoReply != tc.none {
				t.Errorf("ok %d, faults %d, without an answer %d; want %d, %d, %d", s.OK, s.Faults, s.NoReply, tc.ok, tc.faults, tc.none)
			}
			var said []string
			for _, m := range ev.msgs {
				if strings.Contains(m, tc.reply.Target) {
					said = append(said, m)
				}
			}
			if tc.warning != "" && (len(said) != 1 || !strings.Contains(said[0], tc.warning)) || tc.warning == "" && len(said) != 1 {
				t.Errorf("warnings %q, want one with %q", ev.msgs, tc.warning)
			}
		})
	}
}

// TestFirstExchangeSaysOnce: with the first exchange shown (-v), a
// warning that another worker's reply gave first was given again by the
// shown worker's (a gateway that deviates in every reply: the same
// warning twice in a run of 4 connections).
func TestFirstExchangeSaysOnce(t *testing.T) {
	t.Parallel()
	ev := &notices{}
	once := &onceWarnings{next: ev, warnGate: warnGate{seen: map[string]bool{}}}
	shown := &firstExchange{once: once}
	n := client.Notice{Warning: true, Msg: `the reply's body "" names no call`}
	once.OnNotice(n)  // another worker's reply
	shown.OnNotice(n) // the shown worker's, before its exchange is done
	once.OnNotice(n)
	if len(ev.msgs) != 1 {
		t.Errorf("warnings %q, want it once", ev.msgs)
	}
}
