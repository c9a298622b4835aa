package gateway

import (
	"bytes"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestSubtopicMatches: BlazeDS's rules (Subtopic.matches, separator ".").
func TestSubtopicMatches(t *testing.T) {
	for _, tc := range []struct {
		sub, pub string
		want     bool
	}{
		{"", "", true},
		{"", "news", false},
		{"news", "", false},
		{"news", "news", true},
		{"news", "news.sports", false},
		{"news.sports", "news", false},
		{"news.*", "news.sports", true},
		{"news.*", "news.sports.uk", true},
		{"news.*", "news", false},
		{"news.*", "weather.today", false},
		{"news.*", "", false},
		{"news.*.uk", "news.sports.uk", true},
		{"news.*.uk", "news.sports.us", false},
		{"news.*.uk", "news.sports.uk.london", false},
		{"news.*.uk", "news.uk", false},
		{"*", "news", true},
		{"*", "news.sports.uk", true},
		{"*", "", false},
		{"*.sports", "news.sports", true},
		{"*.sports", "news.weather", false},
		{"*.*", "a", false},
		{"*.*", "a.b.c", true},
	} {
		if got := subtopicMatches(tc.sub, tc.pub); got != tc.want {
			t.Errorf("subtopicMatches(%q, %q) = %v, want %v", tc.sub, tc.pub, got, tc.want)
		}
	}
	for s, want := range map[string]string{
		"":          "",
		"news":      "",
		"news.*":    "",
		"*":         "",
		"news.":     `it has an empty segment (subtopics are segments joined by ".")`,
		".news":     `it has an empty segment (subtopics are segments joined by ".")`,
		"news..uk":  `it has an empty segment (subtopics are segments joined by ".")`,
		"news.sp*":  `a "*" must be a whole segment, as in news.*`,
		"news*":     `a "*" must be a whole segment, as in news.*`,
		"**":        `a "*" must be a whole segment, as in news.*`,
		"a.b.c.d.e": "",
	} {
		if got := checkSubtopic(s); got != want {
			t.Errorf("checkSubtopic(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestWildcardSubtopics: a subscription to "news.*" gets what is
// published to news.sports (and deeper), not news itself nor other
// topics; a publish to a wildcard, or to a malformed subtopic, is a
// fault; so is a subscription to a malformed one.
func TestWildcardSubtopics(t *testing.T) {
	g := newTestGateway(t, Options{})
	a, b, pub := ping(t, g), ping(t, g), ping(t, g)
	subNews := subscribe(t, g, a, "feed", "news.*")
	subAll := subscribe(t, g, b, "feed", "*")
	subUK := subscribe(t, g, b, "feed", "news.*.uk")
	for _, p := range []struct{ subtopic, body string }{
		{"news.sports", "sports"}, {"news.sports.uk", "sports uk"}, {"news", "bare news"},
		{"weather", "weather"}, {"", "no subtopic"},
	} {
		if o, ok := publishTo(t, g, pub, "feed", p.subtopic, p.body); !ok {
			t.Fatalf("publish %q: %s", p.subtopic, memberString(o, "faultString"))
		}
	}
	if got := poll(t, g, a, subNews); !equalBodies(got, "sports", "sports uk") {
		t.Errorf("news.* got %v", got)
	}
	// b's two subscriptions, in the order they were made.
	if got := poll(t, g, b, subAll, subUK); !equalBodies(got, "sports", "sports uk", "bare news", "weather", "sports uk") {
		t.Errorf("* and news.*.uk got %v", got)
	}

	for _, tc := range []struct{ subtopic, fault string }{
		{"news.*", `a message can't be published to the wildcard subtopic "news.*"; name one subtopic`},
		{"*", `a message can't be published to the wildcard subtopic "*"; name one subtopic`},
		{"news..uk", `the subtopic "news..uk" is not valid: it has an empty segment (subtopics are segments joined by ".")`},
	} {
		o, ok := publishTo(t, g, pub, "feed", tc.subtopic, "x")
		if ok || memberString(o, "faultCode") != "Client.Error.Publish" || memberString(o, "faultString") != tc.fault {
			t.Errorf("publish to %q: ok %v, %s: %s", tc.subtopic, ok, memberString(o, "faultCode"), memberString(o, "faultString"))
		}
	}
	msg := flexMsg(amf.ClassCommandMessage, a, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: "feed"})
	withHeaders(msg, amf.Member{Name: "DSSubtopic", Value: "news.sp*"})
	if o, ok := flexCall(t, g, msg); ok || memberString(o, "faultString") != `the subtopic "news.sp*" is not valid: a "*" must be a whole segment, as in news.*` {
		t.Errorf("subscribe to news.sp*: ok %v, %s", ok, memberString(o, "faultString"))
	}
}

// TestSelectorAccepted: serve evaluates selectors (selector.go,
// TestSelectorDelivery): a subscription with a valid one is made with no
// warning, and the log names only the subscription.
func TestSelectorAccepted(t *testing.T) {
	var log bytes.Buffer
	g := newTestGateway(t, Options{Log: &log})
	a := ping(t, g)
	msg := flexMsg(amf.ClassCommandMessage, a, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: "feed"})
	withHeaders(msg, amf.Member{Name: "DSSelector", Value: "priority > 5"})
	if ack, ok := flexCall(t, g, msg); !ok || headerString(ack, warningHeader) != "" {
		t.Errorf("ack ok %v, %s = %q", ok, warningHeader, headerString(ack, warningHeader))
	}
	g.Close()
	if strings.Contains(log.String(), "selector") || !strings.Contains(log.String(), "CommandMessage subscribe feed /1 -> onResult") {
		t.Errorf("log:\n%s", log.String())
	}
}

func equalBodies(got []any, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// FuzzSubtopic: the subtopic rules never panic; a subscription without a
// wildcard gets only its own subtopic; a valid wildcard subscription gets
// the subtopic made by putting a segment in place of each "*" (and more
// segments after a last "*").
func FuzzSubtopic(f *testing.F) {
	for _, s := range [][2]string{{"news.*", "news.sports"}, {"*", "a"}, {"a.*.c", "a.b.c"}, {"a..b", "a"}, {"x*", "x"}, {"", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, sub, pub string) {
		if len(sub) > maxNameLen || len(pub) > maxNameLen {
			return
		}
		got := subtopicMatches(sub, pub)
		if checkSubtopic(pub) != "" || isWildcard(pub) || checkSubtopic(sub) != "" {
			return
		}
		if !isWildcard(sub) && got != (sub == pub) {
			t.Fatalf("subtopicMatches(%q, %q) = %v without a wildcard", sub, pub, got)
		}
		if isWildcard(sub) {
			filled := strings.ReplaceAll(sub, subtopicWildcard, "seg")
			if !subtopicMatches(sub, filled) || (strings.HasSuffix(sub, subtopicWildcard) && !subtopicMatches(sub, filled+".more")) {
				t.Fatalf("%q does not get %q", sub, filled)
			}
			if subtopicMatches(sub, "") {
				t.Fatalf("%q gets no subtopic", sub)
			}
		}
	})
}
