package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestWildcardSubscribe: subscribe --subtopic 'news.*' gets what publish
// --subtopic news.sports (and news.sports.uk) sends, not news itself nor
// another subtopic, as BlazeDS does; a selector gets only the messages
// whose headers it is true for, and one that does not parse is refused
// at subscribe with where it fails; a publish to a wildcard is a fault.
func TestWildcardSubscribe(t *testing.T) {
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	wild := startSubscriber(t, "--subtopic", "news.*", "--count", "2", "--interval", "20ms", "--for", "20s", "-q", "subtopic", "-r", u, "feed")
	sel := startSubscriber(t, "--selector", "priority > 5", "--count", "1", "--interval", "20ms", "--for", "20s", "-q", "body", u, "feed")
	waitLog(t, log, "CommandMessage subscribe feed", 2)
	for _, tc := range []cliCase{
		{name: "bare news", args: []string{"publish", "--subtopic", "news", u, "feed", `"news"`}},
		{name: "weather", args: []string{"publish", "--subtopic", "weather", u, "feed", `"weather"`}},
		{name: "sports", args: []string{"publish", "--subtopic", "news.sports", u, "feed", `"sports"`}},
		{name: "sports uk", args: []string{"publish", "--subtopic", "news.sports.uk", u, "feed", `"sports uk"`}},
		{name: "no subtopic", args: []string{"publish", "--message-header", "priority=1", u, "feed", `"low"`}},
		{name: "selected", args: []string{"publish", "--message-header", "priority=9", u, "feed", `"high"`}},
		{name: "to a wildcard", args: []string{"publish", "--subtopic", "news.*", u, "feed", `"x"`}, code: 1,
			stdout: `{"faultCode":"Client.Error.Publish","faultString":"a message can't be published to the wildcard subtopic \"news.*\"; name one subtopic","faultDetail":null,"rootCause":{"message":"a message can't be published to the wildcard subtopic \"news.*\"; name one subtopic","name":"MessagingError"},"extendedData":null}` + "\n",
			stderr: "amfcall: error: Client.Error.Publish: a message can't be published to the wildcard subtopic \"news.*\"; name one subtopic\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
	if code := wild.wait(t); code != 0 || wild.stdout.String() != "news.sports\nnews.sports.uk\n" || wild.stderr.Len() != 0 {
		t.Errorf("news.*: code %d\nstdout %s\nstderr %s", code, wild.stdout.String(), wild.stderr.String())
	}
	if code := sel.wait(t); code != 0 || sel.stdout.String() != `"high"`+"\n" || sel.stderr.Len() != 0 {
		t.Errorf("selector: code %d\nstdout %s\nstderr %s", code, sel.stdout.String(), sel.stderr.String())
	}
	if strings.Contains(log.b.String(), "selector") {
		t.Errorf("log:\n%s", log.b.String())
	}
	checkCase(t, cliCase{args: []string{"subscribe", "--selector", "priority >> 5", "--for", "5s", u, "feed"}, code: 1,
		stdout: `{"faultCode":"Client.Error.Subscribe","faultString":"the selector expression \"priority >> 5\" is not valid: expected an identifier, a literal or (, not \">\" at position 11","faultDetail":null,"rootCause":{"message":"the selector expression \"priority >> 5\" is not valid: expected an identifier, a literal or (, not \">\" at position 11","name":"JMSSelectorException"},"extendedData":null}` + "\n",
		stderr: "amfcall: error: Client.Error.Subscribe: the selector expression \"priority >> 5\" is not valid: expected an identifier, a literal or (, not \">\" at position 11\n"})
	checkCase(t, cliCase{args: []string{"subscribe", "--subtopic", "news..uk", "--for", "5s", u, "feed"}, code: 1,
		stdout: `{"faultCode":"Client.Error.Subscribe","faultString":"the subtopic \"news..uk\" is not valid: it has an empty segment (subtopics are segments joined by \".\")","faultDetail":null,"rootCause":{"message":"the subtopic \"news..uk\" is not valid: it has an empty segment (subtopics are segments joined by \".\")","name":"MessagingError"},"extendedData":null}` + "\n",
		stderr: "amfcall: error: Client.Error.Subscribe: the subtopic \"news..uk\" is not valid: it has an empty segment (subtopics are segments joined by \".\")\n"})
}

// An empty --subtopic (a shell variable left empty) read as no subtopic: a
// publish went to the whole destination without a word (leftcli
// report). A usage error now, before anything is sent.
func TestEmptySubtopic(t *testing.T) {
	t.Parallel()
	srv, sent := recordingGateway(t)
	const msg = "amfcall: error: --subtopic is empty\namfcall: hint: name a subtopic, or leave --subtopic out for the destination's messages without one\n"
	for _, args := range [][]string{
		{"publish", "--subtopic", "", srv.URL, "chat", `"hi"`},
		{"publish", "--subtopic=", srv.URL, "chat", `"hi"`},
		{"subscribe", "--subtopic", "", "--count", "1", srv.URL, "chat"},
	} {
		checkCase(t, cliCase{args: args, code: exitUsage, stderr: msg})
	}
	if n := len(sent()); n != 0 {
		t.Errorf("%d packets sent, want none", n)
	}
}
