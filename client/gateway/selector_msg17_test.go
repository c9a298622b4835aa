package gateway

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// TestSelectorEval: JMS message selectors over a message's headers, with
// SQL's three-valued logic (an unknown header is NULL).
func TestSelectorEval(t *testing.T) {
	h := []amf.Member{
		{Name: "prio", Value: amf.Int(7)}, {Name: "price", Value: 12.5}, {Name: "sym", Value: "ADBE"},
		{Name: "urgent", Value: true}, {Name: "note", Value: "50% off_now"}, {Name: "obj", Value: &amf.Object{}},
		{Name: "DSPriority", Value: amf.Int(4)},
	}
	for _, tc := range []struct {
		sel  string
		want bool
	}{
		{"prio > 5", true}, {"prio > 7", false}, {"prio >= 7", true}, {"prio <> 7", false}, {"prio = 7.0", true},
		{"DSPriority < 5", true},
		{"price BETWEEN 10 AND 13", true}, {"price NOT BETWEEN 10 AND 13", false}, {"prio * 2 - 4 = 10", true},
		{"prio / 0 = 1", false}, {"-prio < 0", true},
		{"sym = 'ADBE'", true}, {"sym <> 'ADBE'", false}, {"sym > 'A'", false}, {"sym = 7", false},
		{"urgent", true}, {"urgent = TRUE", true}, {"NOT urgent", false},
		{"sym IN ('MSFT', 'ADBE')", true}, {"sym NOT IN ('MSFT')", true}, {"missing IN ('a')", false}, {"missing NOT IN ('a')", false},
		{"sym LIKE 'AD%'", true}, {"sym LIKE '_DBE'", true}, {"sym LIKE 'A_E'", false}, {"sym NOT LIKE '%X%'", true},
		{`note LIKE '50\% off\_%' ESCAPE '\'`, true}, {`note LIKE '50\% off\_x' ESCAPE '\'`, false},
		{"missing IS NULL", true}, {"prio IS NOT NULL", true}, {"obj IS NULL", true},
		// Three-valued logic: unknown is not delivered, and NOT keeps it so.
		{"missing > 5", false}, {"NOT (missing > 5)", false}, {"missing > 5 OR prio = 7", true},
		{"missing > 5 AND prio = 7", false}, {"NOT (missing > 5 AND prio = 8)", true},
		{"(prio > 5 OR sym = 'X') and not urgent = false", true},
		{"sym = 'it''s'", false},
	} {
		n, err := parseSelector(tc.sel)
		if err != nil {
			t.Errorf("%s: %v", tc.sel, err)
			continue
		}
		if got, ok := selectorMatches(n, h); got != tc.want || !ok {
			t.Errorf("%s = %v (ok %v), want %v", tc.sel, got, ok, tc.want)
		}
	}
	for sel, want := range map[string]string{
		"prio >":                   "expected an identifier, a literal or (, not end of the selector at position 7",
		"prio > 5 AND":             "expected an identifier, a literal or (, not end of the selector at position 13",
		"sym = 'abc":               "the string literal is not closed (a ' is missing) at position 7",
		"prio # 5":                 "unexpected character '#' at position 6",
		"(prio > 5":                "expected ), not end of the selector at position 10",
		"prio > 5)":                `unexpected ")" at position 9`,
		"sym LIKE 5":               "LIKE must be followed by a string pattern, not number 5 at position 10",
		"sym IN 'a'":               "IN must be followed by a list in parentheses, not string \"a\" at position 8",
		"sym LIKE 'a' ESCAPE 'xy'": `ESCAPE must be followed by a string of one character, not string "xy" at position 21`,
		"prio BETWEEN 1 OR 2":      "BETWEEN's bounds must be joined by AND, not \"OR\" at position 16",
		"prio IS 5":                "IS must be followed by NULL or NOT NULL, not number 5 at position 9",
		"é = 'x' AND ±":            "unexpected character '±' at position 13",
		strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100): "the selector nests deeper than 64 at position 65",
		strings.Repeat("NOT ", 100) + "a":                         "the selector nests deeper than 64 at position 257",
		strings.Repeat("a", maxSelectorLen+1):                     "the selector is longer than this gateway reads (4096 bytes) at position 4097",
	} {
		if _, err := parseSelector(sel); err == nil || err.Error() != want {
			t.Errorf("%.40s: %v, want %s", sel, err, want)
		}
	}
}

// TestSelectorLikeBounded: LIKE over a long header with a pattern that
// backtracks is bounded by the budget (no blow-up), and a plain long
// match is within it.
func TestSelectorLikeBounded(t *testing.T) {
	h := []amf.Member{{Name: "s", Value: strings.Repeat("a", 500_000)}}
	n, err := parseSelector("s LIKE '" + strings.Repeat("%a", 1000) + "b'")
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := selectorMatches(n, h); got || ok {
		t.Errorf("hostile LIKE: %v %v, want over budget", got, ok)
	}
	n, _ = parseSelector("s LIKE 'a%a'")
	h[0].Value = strings.Repeat("a", 300_000)
	if got, ok := selectorMatches(n, h); !got || !ok {
		t.Errorf("a%%a: %v %v", got, ok)
	}
}

// TestSelectorDelivery: serve delivers a message only to subscriptions
// whose selector is true over its headers, and refuses at subscribe a
// selector that does not parse, naming it and the position.
func TestSelectorDelivery(t *testing.T) {
	g := newTestGateway(t, Options{})
	a, b, pub := ping(t, g), ping(t, g), ping(t, g)
	subSel := subscribeSel(t, g, a, "feed", "prio > 5")
	subAll := subscribe(t, g, b, "feed", "")
	for _, m := range []struct {
		body string
		prio any
	}{{"low", amf.Int(1)}, {"high", amf.Int(9)}, {"none", nil}} {
		msg := flexMsg(amf.ClassAsyncMessage, pub, amf.Member{Name: "destination", Value: "feed"}, amf.Member{Name: "body", Value: m.body})
		if m.prio != nil {
			withHeaders(msg, amf.Member{Name: "prio", Value: m.prio})
		}
		if o, ok := flexCall(t, g, msg); !ok {
			t.Fatalf("publish: %s", memberString(o, "faultString"))
		}
	}
	if got := poll(t, g, a, subSel); !equalBodies(got, "high") {
		t.Errorf("prio > 5 got %v", got)
	}
	if got := poll(t, g, b, subAll); !equalBodies(got, "low", "high", "none") {
		t.Errorf("no selector got %v", got)
	}

	msg := flexMsg(amf.ClassCommandMessage, a, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: "feed"})
	withHeaders(msg, amf.Member{Name: "DSSelector", Value: "prio >> 5 AND s = '\x1b[2J'"})
	o, ok := flexCall(t, g, msg)
	want := `the selector expression "prio >> 5 AND s = '\x1b[2J'" is not valid: expected an identifier, a literal or (, not ">" at position 7`
	if ok || memberString(o, "faultCode") != "Client.Error.Subscribe" || memberString(o, "faultString") != want {
		t.Errorf("bad selector: ok %v, %s: %q\nwant %q", ok, memberString(o, "faultCode"), memberString(o, "faultString"), want)
	}
}

func subscribeSel(t *testing.T, g *Gateway, dsid, dest, sel string) string {
	t.Helper()
	msg := flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: dest})
	withHeaders(msg, amf.Member{Name: "DSSelector", Value: sel})
	o, ok := flexCall(t, g, msg)
	if !ok {
		t.Fatalf("subscribe %q: %s", sel, memberString(o, "faultString"))
	}
	return memberString(o, "clientId")
}

// FuzzSelector: any selector text parses or is refused with a position
// within it (never a panic), and evaluates within its budget.
func FuzzSelector(f *testing.F) {
	for _, s := range []string{"prio > 5", "a LIKE '%x_' ESCAPE 'x'", "NOT (a IN ('x', 2) OR b BETWEEN -1 AND 2e3)", "a IS NOT NULL AND b = TRUE", "((a", "'unclosed", "1.2.3", "a / 0 > 1"} {
		f.Add(s, "x%y_z")
	}
	f.Fuzz(func(t *testing.T, sel, val string) {
		n, err := parseSelector(sel)
		if err != nil {
			var se *selectorError
			if !errors.As(err, &se) || se.pos < 1 || se.pos > utf8.RuneCountInString(sel)+1 && len(sel) <= maxSelectorLen {
				t.Fatalf("%q: %v", sel, err)
			}
			return
		}
		h := []amf.Member{{Name: "a", Value: val}, {Name: "b", Value: 3.0}, {Name: "prio", Value: amf.Int(6)}}
		selectorMatches(n, h)
	})
}
