package amftest

import (
	"bytes"

	"github.com/amfcall/amfcall/amf"
)

// RenumberReply makes a recorded reply to a one-body request (which
// PyAMF's client numbered /1) answer the response URI /N of the request
// it replays, as a Flex client counts its messages up: the ping is /1, the
// call after it /2. N stays below 10, so the lengths do not change. The
// client and commands tests replay the PyAMF captures through it.
func RenumberReply(reply, request []byte) []byte {
	p, err := amf.UnmarshalPacket(request)
	if err != nil || len(p.Messages) != 1 || len(p.Messages[0].Response) != 2 || p.Messages[0].Response == "/1" {
		return reply
	}
	out := bytes.Clone(reply)
	for _, suffix := range []string{"/onResult", "/onStatus"} {
		out = bytes.Replace(out, []byte("/1"+suffix), []byte(p.Messages[0].Response+suffix), 1)
	}
	return out
}
