package convert

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"
)

// A member of a HAR entry that amfcall reads given twice (a URL, a body's
// text or encoding, a method, the entries) is refused, naming it: gjson
// read the first, where JSON.parse, jq and DevTools show the last, so a
// HAR whose reader saw one URL or body had another converted, and sent
// by "call --from-har". The body is PyAMF's recorded request
// (testdata/pyamf/captures, see testdata/README.md).
func TestHARMemberGivenTwice(t *testing.T) {
	body, err := os.ReadFile("../testdata/pyamf/captures/default-echo_amf3_rich.request.amf")
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(body)
	har := func(request, response string) string {
		return `{"log":{"version":"1.2","entries":[{"request":` + request + `,"response":` + response + `}]}}`
	}
	const resp = `{"status":200,"content":{"mimeType":"application/x-amf","size":0}}`
	post := `"postData":{"mimeType":"application/x-amf","text":"` + b64 + `","encoding":"base64"}`
	for _, c := range []struct{ in, want string }{
		{har(`{"method":"POST","url":"http://127.0.0.1:8000/","url":"http://10.0.0.1/admin",`+post+`}`, resp), `"url" is given twice in one object`},
		{har(`{"method":"POST","url":"http://127.0.0.1:8000/","postData":{"mimeType":"application/x-amf","text":"`+b64+`","text":"AAAAAAAA","encoding":"base64"}}`, resp), `"text" is given twice`},
		{har(`{"method":"POST","url":"http://127.0.0.1:8000/","postData":{"mimeType":"application/x-amf","text":"`+b64+`","encoding":"base64","encoding":""}}`, resp), `"encoding" is given twice`},
		{har(`{"method":"POST","method":"GET","url":"http://127.0.0.1:8000/",`+post+`}`, resp), `"method" is given twice`},
		{har(`{"method":"POST","url":"http://127.0.0.1:8000/",`+post+`,`+post+`}`, resp), `"postData" is given twice`},
		{har(`{"method":"POST","url":"http://127.0.0.1:8000/",`+post+`}`, `{"status":200,"status":500,"content":{"mimeType":"application/x-amf","size":0}}`), `"status" is given twice`},
		{`{"log":{"entries":[],"entries":[{"request":{"method":"POST","url":"http://127.0.0.1:8000/",` + post + `},"response":` + resp + `}]}}`, `"entries" is given twice`},
	} {
		_, err := ReadHAR([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.120s...: %v, want %q", c.in, err, c.want)
		} else if what := errorSaysWhere(err, []byte(c.in)); what != "" {
			t.Errorf("%v: %s", err, what)
		}
	}
	// Once each, it reads; and members given twice where amfcall reads
	// nothing (another entry's, a header's) are no matter.
	ok := har(`{"method":"POST","url":"http://127.0.0.1:8000/","headers":[{"name":"a","name":"b","value":"1"}],`+post+`}`, resp)
	xs, err := ReadHAR([]byte(ok))
	if err != nil || len(xs) != 1 || string(xs[0].Request.Data) != string(body) {
		t.Fatalf("ReadHAR: %v, %d exchanges", err, len(xs))
	}
}
