package commands

import (
	"encoding/binary"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Replies of gateways that deviate from the spec (AMFPHP, ColdFusion,
// Red5, home-made PHP), written byte by byte, served from 127.0.0.1,
// and called as a user would: amfcall call, --batch, -v, --typed.

// The envelope and AMF0 values, by hand.
func dvU16(n int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(n)) }

func dvStr(s string) []byte { return append(dvU16(len(s)), s...) }

func dvCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func dvString(s string) []byte { return dvCat([]byte{0x02}, dvStr(s)) }

func dvNumber(f float64) []byte {
	return binary.BigEndian.AppendUint64([]byte{0x00}, math.Float64bits(f))
}

// dvObject is an AMF0 anonymous object of name, value pairs.
func dvObject(kv ...any) []byte {
	b := []byte{0x03}
	for i := 0; i < len(kv); i += 2 {
		b = append(b, dvStr(kv[i].(string))...)
		b = append(b, kv[i+1].([]byte)...)
	}
	return append(b, 0, 0, 9)
}

func dvFault(code []byte, desc string) []byte {
	return dvObject("level", dvString("error"), "code", code, "description", dvString(desc))
}

// dvBody is a reply body: target, response URI "null", length unknown.
func dvBody(target string, value []byte) []byte {
	return dvCat(dvStr(target), dvStr("null"), []byte{0xFF, 0xFF, 0xFF, 0xFF}, value)
}

func dvHeader(name string, value []byte) []byte {
	return dvCat(dvStr(name), []byte{0}, []byte{0xFF, 0xFF, 0xFF, 0xFF}, value)
}

// dvPacket is a packet of version ver whose counts are hc and mc,
// whatever headers and bodies follow.
func dvPacket(ver, hc int, headers [][]byte, mc int, bodies ...[]byte) []byte {
	b := dvCat(dvU16(ver), dvU16(hc))
	for _, h := range headers {
		b = append(b, h...)
	}
	b = append(b, dvU16(mc)...)
	for _, m := range bodies {
		b = append(b, m...)
	}
	return b
}

// AMF3 inside the AMF0 envelope: the switch, an anonymous dynamic object
// of string members.
func dvAMF3Object(kv ...string) []byte {
	b := []byte{0x11, 0x0A, 0x0B, 0x01}
	for i := 0; i < len(kv); i += 2 {
		b = append(b, byte(len(kv[i])<<1|1))
		b = append(b, kv[i]...)
		b = append(b, 0x06, byte(len(kv[i+1])<<1|1))
		b = append(b, kv[i+1]...)
	}
	return append(b, 0x01)
}

const dvNotice = "<br />\n<b>Notice</b>:  Undefined index: id in <b>/var/www/amfphp/services/Users.php</b> on line <b>12</b><br />\n"

type deviantReply struct {
	body        []byte
	contentType string // default application/x-amf
}

// deviantGateway serves each reply at /NAME.
func deviantGateway(t *testing.T, replies map[string]deviantReply) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, ok := replies[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		ct := rep.contentType
		if ct == "" {
			ct = "application/x-amf"
		}
		w.Header().Set("Content-Type", ct)
		w.Write(rep.body)
	}))
	t.Cleanup(s.Close)
	return s.URL
}

type deviantCase struct {
	name  string
	reply deviantReply
	args  []string // after "call"; URL is the reply's
	batch string   // JSON lines for --batch -, when set
	code  int
	out   string   // stdout, exactly
	err   []string // in stderr, each
	noErr []string // not in stderr
}

func (tc deviantCase) run(t *testing.T, url string) {
	t.Helper()
	args := []string{"call", "--compact"}
	if tc.batch != "" {
		args = append(args, "--batch", "-")
	}
	args = append(args, url+"/"+tc.name)
	args = append(args, tc.args...)
	stdout, stderr, code := run(t, args, tc.batch, nil, false)
	stdout, stderr = strings.ReplaceAll(stdout, url, "URL"), strings.ReplaceAll(stderr, url, "URL")
	bad := code != tc.code || stdout != tc.out
	for _, w := range tc.err {
		bad = bad || !strings.Contains(stderr, w)
	}
	for _, w := range tc.noErr {
		bad = bad || strings.Contains(stderr, w)
	}
	// Each thing is said once.
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		bad = bad || seen[line]
		seen[line] = true
	}
	if bad {
		t.Errorf("amfcall %s\ngot code %d, stdout:\n%s\nstderr:\n%s\nwant code %d, stdout:\n%s\nstderr with %q, without %q",
			strings.Join(args, " "), code, stdout, stderr, tc.code, tc.out, tc.err, tc.noErr)
	}
}

func runDeviant(t *testing.T, cases []deviantCase) {
	t.Helper()
	replies := map[string]deviantReply{}
	for _, tc := range cases {
		replies[tc.name] = tc.reply
	}
	url := deviantGateway(t, replies)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, url) })
	}
}

func dvReply(b []byte) deviantReply { return deviantReply{body: b} }

const threeCalls = `{"target":"Users.get","args":[1]}
{"target":"Users.list"}
{"target":"Users.count"}
`

// TestDeviantCounts: a message count that says fewer bodies than the
// reply holds lost the others (read as "text after the packet"); one
// that says more failed the call whose body was whole (exit 3); a header
// count of 0 before a header failed the reply. Each is read as the bytes
// say, with one warning naming the count and its byte.
func TestDeviantCounts(t *testing.T) {
	t.Parallel()
	one := dvBody("/1/onResult", dvString("one"))
	two := dvBody("/2/onResult", dvString("two"))
	three := dvBody("/3/onResult", dvString("three"))
	runDeviant(t, []deviantCase{
		{name: "fewer-counted", reply: dvReply(dvPacket(0, 0, nil, 1, one, two, three)), batch: threeCalls,
			out:   `{"target":"Users.get","result":"one"}` + "\n" + `{"target":"Users.list","result":"two"}` + "\n" + `{"target":"Users.count","result":"three"}` + "\n",
			err:   []string{"warning: the reply's packet counts 1 body (its message count, at byte 4) but 3 follow: all are read"},
			noErr: []string{"ignored"}},
		{name: "none-counted", reply: dvReply(dvPacket(0, 0, nil, 0, one)), args: []string{"Users.get", "1"},
			out: `"one"` + "\n",
			err: []string{"warning: the reply's packet counts no body (its message count, at byte 4) but 1 follows: it is read"}},
		{name: "more-counted", reply: dvReply(dvPacket(0, 0, nil, 3, one)), args: []string{"Users.get", "1"},
			out: `"one"` + "\n",
			err: []string{"warning: the reply's packet counts 3 bodies (its message count, at byte 4) but holds 1: the reply ends at byte 35"}},
		{name: "more-counted-batch", reply: dvReply(dvPacket(0, 0, nil, 3, one, two)), batch: threeCalls, code: 3,
			out: `{"target":"Users.get","result":"one"}` + "\n" + `{"target":"Users.list","result":"two"}` + "\n" +
				`{"target":"Users.count","error":"no reply body for the call (URL/more-counted-batch): Users.count (/3); the gateway's reply has no /onResult or /onStatus body for it"}` + "\n",
			err: []string{"the reply's packet counts 3 bodies (its message count, at byte 4) but holds 2: the reply ends at byte 64", "error: 1 of 3 calls got no reply"}},
		// With PHP's text on both sides.
		{name: "more-counted-notice", reply: dvReply(dvCat([]byte(dvNotice), dvPacket(0, 0, nil, 2, one), []byte("\n?>"))), args: []string{"Users.get", "1"},
			out: `"one"` + "\n",
			err: []string{"before its AMF packet, skipped", "the reply's packet counts 2 bodies (its message count, at byte 116) but holds 1: what follows at byte 147 is no body",
				`the reply has 3 bytes after its AMF packet (which ends at byte 147), ignored: "\x0a?>"`}},
		{name: "fewer-counted-bom", reply: dvReply(dvCat([]byte("\ufeff"), dvPacket(0, 0, nil, 1, one, two))), batch: threeCalls, code: 3,
			out: `{"target":"Users.get","result":"one"}` + "\n" + `{"target":"Users.list","result":"two"}` + "\n" +
				`{"target":"Users.count","error":"no reply body for the call (URL/fewer-counted-bom): Users.count (/3); the gateway's reply has no /onResult or /onStatus body for it"}` + "\n",
			err: []string{`the reply has 3 bytes before its AMF packet, skipped: "\ufeff"`, "the reply's packet counts 1 body (its message count, at byte 7) but 2 follow: all are read"}},
		// A header count of 0, and AppendToGatewayUrl after it: read,
		// and honoured.
		{name: "header-uncounted", reply: dvReply(dvPacket(0, 0, [][]byte{dvHeader("AppendToGatewayUrl", dvString("?PHPSESSID=abc"))}, 1, one)),
			args: []string{"Users.get", "1", "-v"},
			out:  `"one"` + "\n",
			err: []string{"warning: the reply's packet counts no header (its header count, at byte 2) but 1 header follows: read as such",
				`"headers":[{"name":"AppendToGatewayUrl"`, "the gateway asked for a new URL (AppendToGatewayUrl)"}},
		{name: "header-uncounted-notice", reply: dvReply(dvCat([]byte(dvNotice), dvPacket(3, 0, [][]byte{dvHeader("Note", dvString("x")), dvHeader("Other", dvNumber(2))}, 1, one))),
			args: []string{"Users.get", "1"},
			out:  `"one"` + "\n",
			err:  []string{"warning: the reply's packet counts no header (its header count, at byte 114) but 2 headers follow: read as such"}},
		{name: "header-overcounted", reply: dvReply(dvPacket(0, 2, [][]byte{dvHeader("AppendToGatewayUrl", dvString(";jsessionid=1"))}, 1, one)),
			args: []string{"Users.get", "1"},
			out:  `"one"` + "\n",
			err:  []string{"warning: the reply's packet counts 2 headers (its header count, at byte 2) but holds 1: read as such"}},
		{name: "header-counted-none", reply: dvReply(dvPacket(0, 1, nil, 1, one)),
			args: []string{"Users.get", "1"},
			out:  `"one"` + "\n",
			err:  []string{"warning: the reply's packet counts 1 header (its header count, at byte 2) but holds none: read as such"}},
		// A reply cut short in a body keeps its error (exit 3), counts
		// or not.
		{name: "cut-in-body", reply: dvReply(dvPacket(0, 0, nil, 2, one, two[:10])), args: []string{"Users.get", "1"}, code: 3,
			err: []string{"is not a valid AMF packet", "at offset 35"}, noErr: []string{"counts"}},
	})
}

// TestDeviantTargets: a body whose target names no call ("", "null",
// "/onResult", "1/onResult", "1", the call's number in the response
// URI) was "a body that answers no call" and the call got none (exit 3);
// one fault "/onStatus" refusing a batch left every call without an
// answer. They answer the call they can only answer, with a warning.
func TestDeviantTargets(t *testing.T) {
	t.Parallel()
	call := []string{"Users.get", "1"}
	refused := dvFault(dvString("AMFPHP_AUTHENTICATE_ERROR"), "Method access blocked by beforeFilter in Users object")
	runDeviant(t, []deviantCase{
		{name: "empty", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("", dvString("hi")))), args: call, out: `"hi"` + "\n",
			err: []string{`warning: the reply's body "" names no call: read as the answer to Users.get (/1), the only call`}},
		{name: "no-id", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/onResult", dvString("hi")))), args: call, out: `"hi"` + "\n",
			err: []string{`the reply's body "/onResult" names no call`}},
		{name: "no-slash", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("1/onResult", dvString("hi")))), args: call, out: `"hi"` + "\n",
			err: []string{`warning: the reply's body "1/onResult" has no / before its call number: read as the answer to Users.get (/1)`}},
		{name: "number", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("1", dvString("hi")))), args: call, out: `"hi"` + "\n",
			err: []string{`the reply's body "1" has no / before its call number`}},
		{name: "in-response", reply: dvReply(dvPacket(0, 0, nil, 1, dvCat(dvStr("null"), dvStr("/1"), []byte{0, 0, 0, 0}, dvString("hi")))), args: call, out: `"hi"` + "\n",
			err: []string{`warning: the reply's body "null" names its call in its response URI (/1): read as the answer to Users.get`}, noErr: []string{"unknown kind"}},
		{name: "no-id-fault", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/onStatus", refused))), args: call, code: 1,
			out: `{"level":"error","code":"AMFPHP_AUTHENTICATE_ERROR","description":"Method access blocked by beforeFilter in Users object"}` + "\n",
			err: []string{`the reply's body "/onStatus" names no call: read as the fault answering Users.get (/1)`, "error: AMFPHP_AUTHENTICATE_ERROR: Method access blocked"}},
		// One fault for the whole batch: each call gets it (exit 1).
		{name: "batch-refused", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/onStatus", refused))), batch: threeCalls, code: 1,
			out: `{"target":"Users.get","fault":{"level":"error","code":"AMFPHP_AUTHENTICATE_ERROR","description":"Method access blocked by beforeFilter in Users object"}}` + "\n" +
				`{"target":"Users.list","fault":{"level":"error","code":"AMFPHP_AUTHENTICATE_ERROR","description":"Method access blocked by beforeFilter in Users object"}}` + "\n" +
				`{"target":"Users.count","fault":{"level":"error","code":"AMFPHP_AUTHENTICATE_ERROR","description":"Method access blocked by beforeFilter in Users object"}}` + "\n",
			err: []string{`warning: the reply's fault "/onStatus" names no call: given to each of the 3 calls without an answer (the gateway refused them together)`, "error: 3 of 3 calls answered with a fault"}},
		// A request of one call answered by one body numbered for
		// another (a gateway that always writes /1, after a Flex ping
		// made this call /2): it is that call's answer, said; the body
		// is surfaced, not dropped (digest §3.4).
		{name: "other-number", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/7/onResult", dvString("hi")))), args: call, out: `"hi"` + "\n",
			err: []string{`warning: the reply's body "/7/onResult" is numbered for a call the request did not make: read as the answer to Users.get (/1), the only call`}},
		{name: "other-number-fault", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/7/onStatus", dvFault(dvNumber(500), "boom")))), args: call, code: 1,
			out: `{"level":"error","code":500,"description":"boom"}` + "\n",
			err: []string{`warning: the reply's body "/7/onStatus" is numbered for a call the request did not make: read as the fault answering Users.get (/1), the only call`, "error: 500: boom"}},
		// Two such bodies for one call: neither is taken.
		{name: "other-number-two", reply: dvReply(dvPacket(0, 0, nil, 2, dvBody("/7/onResult", dvString("hi")), dvBody("/8/onResult", dvString("ho")))), args: call, code: 3,
			err: []string{`warning: the reply has a body "/7/onResult" that answers no call (and 1 more such bodies)`, "no reply body for the call"}},
		// In a batch (bodies match calls by number, digest §3.4), it
		// answers no call.
		{name: "other-number-batch", reply: dvReply(dvPacket(0, 0, nil, 3, dvBody("/1/onResult", dvNumber(1)), dvBody("/2/onResult", dvNumber(2)), dvBody("/7/onResult", dvNumber(7)))),
			batch: threeCalls, code: 3,
			out: `{"target":"Users.get","result":1}` + "\n" + `{"target":"Users.list","result":2}` + "\n" +
				`{"target":"Users.count","error":"no reply body for the call (URL/other-number-batch): Users.count (/3); the gateway's reply has no /onResult or /onStatus body for it"}` + "\n",
			err: []string{`warning: the reply has a body "/7/onResult" that answers no call`}},
		// Answers in another order, and one more than asked.
		{name: "order", reply: dvReply(dvPacket(0, 0, nil, 4, dvBody("/3/onResult", dvNumber(3)), dvBody("/1/onResult", dvNumber(1)), dvBody("/4/onResult", dvNumber(4)), dvBody("/2/onResult", dvNumber(2)))),
			batch: threeCalls,
			out:   `{"target":"Users.get","result":1}` + "\n" + `{"target":"Users.list","result":2}` + "\n" + `{"target":"Users.count","result":3}` + "\n",
			err:   []string{`warning: the reply has a body "/4/onResult" that answers no call`}},
		// The first call's fault, and nothing after it.
		{name: "stopped", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/1/onStatus", dvFault(dvNumber(500), "boom")))), batch: threeCalls, code: 3,
			out: `{"target":"Users.get","fault":{"level":"error","code":500,"description":"boom"}}` + "\n" +
				`{"target":"Users.list","error":"no reply body for the call (URL/stopped): Users.list (/2); the gateway's reply has no /onResult or /onStatus body for it"}` + "\n" +
				`{"target":"Users.count","error":"no reply body for the call (URL/stopped): Users.count (/3); the gateway's reply has no /onResult or /onStatus body for it"}` + "\n",
			err: []string{"Users.get (/1): 500: boom", "hint: the gateway answered no call after the fault of Users.get (/1): some gateways stop a batch at its first fault"}},
	})
}

// TestDeviantValues: numbers where strings belong, Latin-1 text, an
// AMF0 fault in an AMF3 reply, an AMF3 reply to an AMF0 request, a good
// reply sent as text/html, text before the packet, /onStatus for what
// is no fault.
func TestDeviantValues(t *testing.T) {
	t.Parallel()
	call := []string{"Users.get", "1"}
	latin1Fault := dvFault(dvString("Server.Processing"), "Fehler: ung\xfcltige Eingabe")
	runDeviant(t, []deviantCase{
		{name: "numeric-code", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/1/onStatus", dvFault(dvNumber(500), "boom")))), args: call, code: 1,
			out: `{"level":"error","code":500,"description":"boom"}` + "\n", err: []string{"error: 500: boom"}},
		{name: "numeric-faultcode", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/1/onStatus", dvObject("faultCode", dvNumber(42), "faultString", dvString("bad"))))), args: call, code: 1,
			out: `{"faultCode":42,"faultString":"bad"}` + "\n", err: []string{"error: 42: bad"}},
		// The fault's line on stderr as its JSON, with --charset.
		{name: "latin1-fault", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/1/onStatus", latin1Fault))), args: call, code: 1,
			out: `{"level":"error","code":"Server.Processing","description":"Fehler: ungültige Eingabe"}` + "\n",
			err: []string{`1 string is not UTF-8 (the first at "/description")`, "error: Server.Processing: Fehler: ungültige Eingabe"}, noErr: []string{`\xfc`}},
		{name: "latin1-fault-amf3", reply: dvReply(dvPacket(3, 0, nil, 1, dvBody("/1/onStatus", dvAMF3Object("faultCode", "Client.Auth", "faultString", "Acc\xe8s refus\xe9")))),
			args: append([]string{"--typed"}, call...), code: 1,
			out: `{"faultCode":"Client.Auth","faultString":{"$latin1":"Accès refusé"}}` + "\n",
			err: []string{"error: Client.Auth: Accès refusé"}},
		{name: "latin1-fault-charset", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/1/onStatus", dvFault(dvString("E"), "\xa4 5")))), args: append([]string{"--charset", "iso-8859-15"}, call...), code: 1,
			out: `{"level":"error","code":"E","description":"€ 5"}` + "\n", err: []string{"error: E: € 5"}},
		// One warning for the batch, not one a line.
		{name: "latin1-batch", reply: dvReply(dvPacket(0, 0, nil, 3, dvBody("/1/onResult", dvString("caf\xe9")), dvBody("/2/onResult", dvObject("city", dvString("M\xfcnchen"))), dvBody("/3/onResult", dvString("na\xefve")))),
			batch: threeCalls,
			out:   `{"target":"Users.get","result":"café"}` + "\n" + `{"target":"Users.list","result":{"city":"München"}}` + "\n" + `{"target":"Users.count","result":"naïve"}` + "\n",
			err: []string{`warning: Users.get (/1): 1 string is not UTF-8 (the first at "/result")`,
				"warning: the warning of Users.get (/1) holds for 2 more calls too: Users.list (/2), Users.count (/3)"},
			noErr: []string{`"/result/city"`}},
		{name: "amf0-fault-in-amf3", reply: dvReply(dvPacket(3, 0, nil, 1, dvBody("/1/onStatus", dvFault(dvString("Server.Error"), "boom")))), args: append([]string{"--amf3"}, call...), code: 1,
			out: `{"level":"error","code":"Server.Error","description":"boom"}` + "\n", err: []string{"error: Server.Error: boom"}},
		{name: "amf3-reply", reply: dvReply(dvPacket(3, 0, nil, 1, dvBody("/1/onResult", dvAMF3Object("name", "x")))), args: call,
			out: `{"name":"x"}` + "\n"},
		{name: "text-html", reply: deviantReply{body: dvPacket(0, 0, nil, 1, dvBody("/1/onResult", dvString("hi"))), contentType: "text/html; charset=UTF-8"}, args: call,
			out: `"hi"` + "\n", err: []string{"warning: the reply's Content-Type is text/html; charset=UTF-8, not application/x-amf; its body is an AMF packet and is read as one"}},
		{name: "notice-html", reply: deviantReply{body: dvCat([]byte(dvNotice), dvPacket(0, 0, nil, 1, dvBody("/1/onResult", dvString("hi")))), contentType: "text/html"}, args: call,
			out: `"hi"` + "\n", err: []string{"its body holds an AMF packet", `the reply has 112 bytes before its AMF packet, skipped: "<br />\x0a<b>Notice</b>:`}},
		{name: "bom", reply: dvReply(dvCat([]byte("\ufeff"), dvPacket(0, 0, nil, 1, dvBody("/1/onResult", dvString("hi"))))), args: call,
			out: `"hi"` + "\n", err: []string{`the reply has 3 bytes before its AMF packet, skipped: "\ufeff"`}},
		{name: "onstatus-value", reply: dvReply(dvPacket(0, 0, nil, 1, dvBody("/1/onStatus", dvString("hi")))), args: call, code: 1,
			out: `"hi"` + "\n", err: []string{"error: fault: hi"}},
	})
}
