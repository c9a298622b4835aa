package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// publish --priority 7 sent DSPriority, but serve dropped it from the
// message it delivered (BlazeDS keeps it: its MessageService removes
// DSId and DSEndpoint only), and subscribe dropped it from the line (it
// shows no DS header): the subscriber never saw a priority. The line now
// has "priority" after "subtopic", when the message has one.
func TestSubscribeShowsPriority(t *testing.T) {
	t.Parallel()
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	sub := startSubscriber(t, "--count", "2", "--interval", "20ms", "--for", "20s", u, "alerts")
	waitLog(t, log, "CommandMessage subscribe alerts", 1)
	for _, args := range [][]string{
		{"publish", "--priority", "7", "--message-header", `from="ann"`, u, "alerts", `"disk full"`},
		{"publish", u, "alerts", `"fine"`},
	} {
		if _, stderr, code := run(t, args, "", nil, false); code != 0 {
			t.Fatalf("%v: code %d %s", args, code, stderr)
		}
	}
	if code := sub.wait(t); code != 0 {
		t.Fatalf("subscribe: code %d\n%s", code, sub.stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(sub.stdout.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"destination":"alerts","subtopic":null,"priority":7,"messageId":`) ||
		!strings.HasSuffix(lines[0], `"headers":{"from":"ann"},"body":"disk full"}`) ||
		!strings.HasPrefix(lines[1], `{"destination":"alerts","subtopic":null,"messageId":`) {
		t.Errorf("lines:\n%s", sub.stdout.String())
	}
}

// subscribe -x showed an anonymous object in a message's body as
// {"$traits": {"sealed": [], "dynamic": true, "inline": true}, ...}:
// traits sent inline again, which the poll reply never did. The line,
// an object amfcall makes, came first with equal traits of its own.
func TestSubscribeTypedNoInlineTraits(t *testing.T) {
	t.Parallel()
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	sub := startSubscriber(t, "-x", "--count", "1", "--interval", "20ms", "--for", "20s", u, "orders")
	waitLog(t, log, "CommandMessage subscribe orders", 1)
	if _, stderr, code := run(t, []string{"publish", u, "orders", `{"$class": "flex.messaging.io.ObjectProxy", "object": {"a": 1}}`}, "", nil, false); code != 0 {
		t.Fatalf("publish: code %d %s", code, stderr)
	}
	if code := sub.wait(t); code != 0 {
		t.Fatalf("subscribe: code %d\n%s", code, sub.stderr.String())
	}
	if out := sub.stdout.String(); !strings.HasSuffix(out, `"headers":{},"body":{"$class":"flex.messaging.io.ObjectProxy","object":{"a":1}}}`+"\n") {
		t.Errorf("line: %s", out)
	}
}

// call --flex --batch -x had the same "inline" traits on a result's
// anonymous objects, under the line amfcall makes.
func TestFlexBatchTypedNoInlineTraits(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	stdout, stderr, code := run(t, []string{"call", "-x", "--flex", "--batch", "-", u}, `{"target":"echo.echo","args":[{"a":1}]}`+"\n", nil, false)
	if code != 0 || stdout != `{"target":"echo.echo","result":{"a":1}}`+"\n" {
		t.Errorf("code %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}
