package gateway

import (
	"encoding/base64"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A Flex client's login (ChannelSet.login without a charset) sends
// "user:password" as ISO-8859-1 bytes, and no DSCredentialsCharset
// header; with "UTF-8" it sends UTF-8 bytes and says so (amfcall's
// client does). serve read both as UTF-8: a Flex application's
// password "wörld" was refused.
func TestFlexLoginCharset(t *testing.T) {
	g := newTestGateway(t, Options{User: "alice", Password: "wörld"})
	for _, tc := range []struct {
		name    string
		raw     []byte
		charset string
		ok      bool
	}{
		{"ISO-8859-1, no header", []byte("alice:w\xf6rld"), "", true},
		{"UTF-8 with its header", []byte("alice:wörld"), "UTF-8", true},
		{"UTF-8 bytes, no header", []byte("alice:wörld"), "", false},
		{"ISO-8859-1 bytes said UTF-8", []byte("alice:w\xf6rld"), "UTF-8", false},
	} {
		msg := flexMsg(amf.ClassCommandMessage, "nil", amf.Member{Name: "operation", Value: amf.Int(opLogin)},
			amf.Member{Name: "body", Value: base64.StdEncoding.EncodeToString(tc.raw)})
		if tc.charset != "" {
			withHeaders(msg, amf.Member{Name: "DSCredentialsCharset", Value: tc.charset})
		}
		if _, ok := flexCall(t, g, msg); ok != tc.ok {
			t.Errorf("%s: login acknowledged %v, want %v", tc.name, ok, tc.ok)
		}
	}
}
