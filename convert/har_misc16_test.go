package convert

import (
	"strconv"
	"testing"
)

// A HEAD, a GET, an OPTIONS preflight or a 304 to a URL whose replies are
// AMF has no packet either way: it was listed as an AMF exchange whose two
// bodies failed (exit 4 for the whole file).
func TestHARSkipsEntriesWithNoPacket(t *testing.T) {
	const amf0 = "AAAAAAABAAxnZXRTbmFwc2hvdHMAAi8xAAAABQoAAAAA"
	post := `{"request": {"method": "POST", "url": "http://h/gw", "bodySize": 33, "postData": {"mimeType": "application/x-amf", "text": "` + amf0 + `", "encoding": "base64"}}, "response": {"status": 200, "content": {"size": 33, "mimeType": "application/x-amf", "text": "` + amf0 + `", "encoding": "base64"}}}`
	bare := func(method string, status int) string {
		return `{"request": {"method": "` + method + `", "url": "http://h/gw", "bodySize": 0}, "response": {"status": ` + strconv.Itoa(status) + `, "content": {"size": 0, "mimeType": "application/x-amf"}}}`
	}
	data := []byte(`{"log": {"entries": [` + bare("HEAD", 200) + "," + post + "," + bare("GET", 304) + "," +
		bare("OPTIONS", 204) + "," + bare("GET", 200) + "," + bare("POST", 304) + "," +
		// Still exchanges: a POST whose reply was not kept, and a
		// request typed AMF whatever its method.
		`{"request": {"method": "POST", "url": "http://h/gw", "postData": {"mimeType": "text/plain", "text": "x"}}, "response": {"status": 200, "content": {"mimeType": "application/x-amf"}}},` +
		`{"request": {"method": "GET", "url": "http://h/gw", "postData": {"mimeType": "application/x-amf", "text": "` + amf0 + `", "encoding": "base64"}}, "response": {"status": 200, "content": {"mimeType": "text/html"}}}` +
		`]}}`)
	xs, err := ReadHAR(data)
	if err != nil {
		t.Fatal(err)
	}
	var entries []int
	for _, x := range xs {
		entries = append(entries, x.Entry)
	}
	if len(xs) != 3 || xs[0].Entry != 2 || xs[1].Entry != 7 || xs[2].Entry != 8 || xs[2].N != 3 {
		t.Fatalf("exchanges at entries %v, want [2 7 8]", entries)
	}
	n, skipped, err := CountHAR(data)
	if n != 3 || skipped != 5 || err != nil {
		t.Errorf("CountHAR = %d, %d, %v; want 3, 5, nil", n, skipped, err)
	}
}
