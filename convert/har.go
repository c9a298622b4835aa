package convert

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/tidwall/gjson"
)

// A HAR file (HTTP Archive, what browsers' DevTools and intercepting
// proxies export) is one JSON document {"log": {"entries": [...]}}; each
// entry holds a request {method, url, postData: {mimeType, text,
// encoding?}} and a response {status, statusText, content: {size,
// mimeType, text?, encoding?}}. HAR 1.2 keeps bodies as text: "encoding":
// "base64" says the text is the base64 of the bytes; without it the text
// is the body as the browser read it, which for binary bodies such as AMF
// is usually not the bytes that crossed the wire.

// MaxHARExchanges bounds the number of AMF exchanges [ReadHAR] returns.
const MaxHARExchanges = 1 << 16

// HARExchange is one AMF request/reply pair of a HAR file.
type HARExchange struct {
	Entry      int // position among all the file's entries, from 1
	N          int // position among the AMF exchanges, from 1
	Method     string
	URL        string
	Status     int // 0 when the request got no reply
	StatusText string
	Request    HARBody
	Response   HARBody
	// RequestHeaders are the names of the request's HTTP headers as the
	// HAR recorded them (values are not kept: they may be secrets), in
	// order, each once.
	RequestHeaders []string
}

// HARBody is a request or reply body of a HAR entry.
type HARBody struct {
	MIME string
	// Data is the body's bytes; nil when Problem is set.
	Data []byte
	// Problem says why the bytes are not available: the HAR did not
	// keep the body, or kept it as text that is not the bytes sent.
	Problem string
}

// IsHAR reports whether data is a HAR file: a JSON object whose first
// member is "log", with an "entries" array.
func IsHAR(data []byte) bool {
	text := trimText(data)
	if len(text) == 0 || text[0] != '{' {
		return false
	}
	// A HAR's top-level object has the one member "log": look at the
	// first key before reading the whole text, so that other JSON (which
	// convert may stream into AMF) costs nothing here.
	rest := bytes.TrimLeft(text[1:], " \t\r\n")
	if !bytes.HasPrefix(rest, []byte(`"log"`)) {
		return false
	}
	return gjson.ValidBytes(text) && gjson.GetBytes(text, "log.entries").IsArray()
}

// ReadHAR reads a HAR file and returns its AMF exchanges, in file order:
// the entries whose request or reply has the media type
// application/x-amf, but for those that cannot hold a packet (a HEAD, a
// GET or an OPTIONS request with no AMF body, a 1xx, 204 or 304 reply:
// see [CountHAR]). Bodies in base64 are decoded; a body that the file
// does not hold, or holds as text that cannot be the bytes that were sent
// (replacement characters, a length other than the recorded size), is
// reported in its Problem, never repaired. Errors in the JSON itself are
// *Error values with the offset.
func ReadHAR(data []byte) ([]HARExchange, error) {
	var out []HARExchange
	err := ScanHAR(data, nil, func(x HARExchange) error {
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ScanHAR is [ReadHAR] one exchange at a time, so that a caller holds one
// decoded body at a time rather than all of them: it calls f with each
// AMF exchange in file order. bodies reports whether the bodies of the
// N-th exchange (from 1) are read (decoded); nil reads them all. An
// exchange whose bodies are not read has their MIME types only (no Data,
// no Problem). The text of data is read where it is (not copied); what f
// is given is memory of its own. An error of f stops the scan and is
// returned as it is.
func ScanHAR(data []byte, bodies func(n int) bool, f func(x HARExchange) error) error {
	return scanHAR(data, bodies, f, nil)
}

// CountHAR counts a HAR file's AMF exchanges, as [ScanHAR] finds them,
// and the entries it skips although a body's media type is
// application/x-amf: a HEAD, a GET or an OPTIONS request, or a 1xx, 204
// or 304 reply, with no AMF request body (no packet went either way).
// Its errors are ScanHAR's.
func CountHAR(data []byte) (exchanges, skipped int, err error) {
	err = scanHAR(data, func(int) bool { return false }, func(HARExchange) error {
		exchanges++
		return nil
	}, &skipped)
	return exchanges, skipped, err
}

// harCarriesAMF reports whether an entry with a body of type
// application/x-amf may hold an AMF packet: its request says it posts one,
// or its request may have a body (AMF is posted) and its reply may have
// one.
func harCarriesAMF(req, resp gjson.Result, reqMIME string) bool {
	if isAMFType(reqMIME) {
		return true
	}
	method := strings.ToUpper(strings.TrimSpace(req.Get("method").String()))
	switch method {
	case "HEAD":
		return false // no reply body, whatever was sent
	case "GET", "OPTIONS", "TRACE", "CONNECT":
		if !req.Get("postData").Exists() {
			return false
		}
	}
	switch status := resp.Get("status").Int(); {
	case status >= 100 && status < 200, status == 204, status == 304:
		return false
	}
	return true
}

func scanHAR(data []byte, bodies func(n int) bool, f func(x HARExchange) error, skipped *int) (err error) {
	var ferr error // f's, returned as it is
	defer func() {
		if err != ferr {
			err = locate(err, data)
		}
	}()
	spans, err := splitValues(data)
	if err != nil {
		return err
	}
	if len(spans) != 1 {
		return &Error{Offset: 0, Err: errors.New("a HAR file is one JSON object")}
	}
	// The text as a string where it is: gjson.ParseBytes would copy it
	// all (140 MB for a HAR holding a 100 MB body in base64).
	sp := spans[0]
	doc := rebase(gjson.Parse(unsafe.String(&data[sp.start], sp.end-sp.start)), sp.start)
	if err := harOnce(doc, "", "log"); err != nil {
		return err
	}
	if err := harOnce(doc.Get("log"), "/log", "entries"); err != nil {
		return err
	}
	entries := doc.Get("log.entries")
	if !entries.IsArray() {
		return &Error{Offset: int64(doc.Index), Err: errors.New(`not a HAR file: no "log.entries" array`)}
	}
	n := 0
	i := 0
	entries.ForEach(func(_, e gjson.Result) bool {
		i++
		if !e.IsObject() {
			err = &Error{Offset: int64(e.Index), Path: fmt.Sprintf("/log/entries/%d", i-1), Err: errors.New("an entry must be an object")}
			return false
		}
		req, resp := e.Get("request"), e.Get("response")
		reqMIME := req.Get("postData.mimeType").String()
		respMIME := resp.Get("content.mimeType").String()
		if !isAMFType(reqMIME) && !isAMFType(respMIME) {
			return true
		}
		if !harCarriesAMF(req, resp, reqMIME) {
			// A HEAD, a GET, a CORS preflight or a 304 to a URL whose
			// replies are AMF: no packet went either way (it was listed
			// as an exchange whose bodies failed, exit 4).
			if skipped != nil {
				*skipped++
			}
			return true
		}
		// What is read of an AMF entry, each member once: gjson reads
		// the first of a member given twice, and JSON.parse, jq and
		// DevTools show the last, so a HAR could show one URL or body
		// and have another sent (call --from-har).
		at := fmt.Sprintf("/log/entries/%d", i-1)
		for _, c := range []struct {
			r    gjson.Result
			path string
			keys []string
		}{
			{e, at, []string{"request", "response"}},
			{req, at + "/request", []string{"method", "url", "headers", "postData", "bodySize"}},
			{req.Get("postData"), at + "/request/postData", []string{"mimeType", "text", "encoding"}},
			{resp, at + "/response", []string{"status", "statusText", "content"}},
			{resp.Get("content"), at + "/response/content", []string{"mimeType", "text", "encoding", "size"}},
		} {
			if err = harOnce(c.r, c.path, c.keys...); err != nil {
				return false
			}
		}
		if n >= MaxHARExchanges {
			err = &Error{Offset: int64(e.Index), Path: fmt.Sprintf("/log/entries/%d", i-1),
				Err: fmt.Errorf("more than %d AMF exchanges in one HAR file", MaxHARExchanges)}
			return false
		}
		n++
		// Strings of their own: the text's would keep it all.
		x := HARExchange{
			Entry:      i,
			N:          n,
			Method:     strings.Clone(req.Get("method").String()),
			URL:        strings.Clone(req.Get("url").String()),
			Status:     int(resp.Get("status").Int()),
			StatusText: strings.Clone(resp.Get("statusText").String()),
			Request:    HARBody{MIME: strings.Clone(reqMIME)},
			Response:   HARBody{MIME: strings.Clone(respMIME)},
		}
		req.Get("headers").ForEach(func(_, h gjson.Result) bool {
			name := h.Get("name").String()
			if name != "" && !slices.ContainsFunc(x.RequestHeaders, func(n string) bool { return strings.EqualFold(n, name) }) {
				x.RequestHeaders = append(x.RequestHeaders, strings.Clone(name))
			}
			return len(x.RequestHeaders) < 200
		})
		if bodies == nil || bodies(n) {
			x.Request = harBody(req.Get("postData"), x.Request.MIME, sizeOf(req.Get("bodySize")))
			x.Response = harBody(resp.Get("content"), x.Response.MIME, sizeOf(resp.Get("content.size")))
			if x.Status == 0 && x.Response.Problem == "" && len(x.Response.Data) == 0 {
				x.Response.Problem = "no reply was recorded"
			}
		}
		if ferr = f(x); ferr != nil {
			err = ferr
			return false
		}
		return true
	})
	return err
}

// harOnce refuses a member of the object o (at the JSON pointer path)
// named in keys that is given twice.
func harOnce(o gjson.Result, path string, keys ...string) error {
	if !o.IsObject() {
		return nil
	}
	var seen []string
	var err error
	o.ForEach(func(k, v gjson.Result) bool {
		if !slices.Contains(keys, k.Str) {
			return true
		}
		if slices.Contains(seen, k.Str) {
			err = &Error{Offset: int64(v.Index), Path: path + "/" + k.Str,
				Err: fmt.Errorf("%q is given twice in one object: JSON readers disagree on which one a HAR file means (browsers and jq take the last)", k.Str)}
			return false
		}
		seen = append(seen, k.Str)
		return true
	})
	return err
}

// isAMFType reports whether a media type is application/x-amf.
func isAMFType(s string) bool {
	mt, _, err := mime.ParseMediaType(s)
	if err != nil {
		mt, _, _ = strings.Cut(s, ";")
	}
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-amf")
}

// sizeOf reads a recorded body size; -1 when there is none.
func sizeOf(r gjson.Result) int64 {
	if r.Type != gjson.Number || r.Int() < 0 {
		return -1
	}
	return r.Int()
}

// harBody takes the bytes out of a postData or content object. size is the
// recorded length of the body, or -1 when the HAR gives none.
func harBody(b gjson.Result, mimeType string, size int64) HARBody {
	body := HARBody{MIME: mimeType}
	text := b.Get("text")
	if !text.Exists() || text.Type != gjson.String {
		if size == 0 {
			body.Data = []byte{}
			return body
		}
		body.Problem = "the HAR file does not hold this body (the browser did not keep it)"
		return body
	}
	s := text.String()
	if size == 0 && s != "" {
		size = -1 // some tools write 0 for "not measured"
	}
	switch enc := strings.ToLower(b.Get("encoding").String()); enc {
	case "base64":
		data, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
		}
		if err != nil {
			body.Problem = "the body's base64 text does not decode: " + err.Error()
			return body
		}
		if size >= 0 && int64(len(data)) != size {
			body.Problem = fmt.Sprintf("the body holds %d bytes but the HAR file says %d: it was cut or altered", len(data), size)
			return body
		}
		body.Data = data
		return body
	case "":
	default:
		body.Problem = fmt.Sprintf("the body is in an encoding amfcall does not know (%q)", enc)
		return body
	}
	// Text as the browser read it. AMF is binary: bytes that are not UTF-8
	// became U+FFFD, and nothing says what they were.
	if strings.ContainsRune(s, utf8.RuneError) {
		body.Problem = "the browser kept this binary body as text and replaced the bytes that are not UTF-8 (U+FFFD): the bytes sent are lost; export the HAR with bodies in base64, or capture with a proxy"
		return body
	}
	if size >= 0 && int64(len(s)) != size {
		body.Problem = fmt.Sprintf("the body is kept as %d bytes of text but the HAR file says it had %d: it was altered", len(s), size)
		return body
	}
	body.Data = []byte(s)
	return body
}
