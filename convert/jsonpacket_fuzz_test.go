package convert

import (
	"testing"
)

// packetSeeds are the seeds of FuzzPacketJSON and FuzzSOLJSON: packets
// and .sol files, plain and typed, with the members that change how
// they are written.
var packetSeeds = []string{
	`{"version":0,"headers":[{"name":"h","mustUnderstand":true,"value":{"a":1}}],"messages":[{"target":"a.b","response":"/1","value":[1,"x",{"a":1}]}]}`,
	`{"version":3,"messages":[{"target":"a.b","response":"/1","value":[{"$id":1,"a":"s"},{"$ref":1},"s",[1,2]]}]}`,
	`{"version":3,"messages":[{"target":"a.b","response":"/1","crossEscapeRefs":true,"value":[{"a":"s"},{"a":"s"},"s"]}]}`,
	`{"version":3,"messages":[{"target":"a.b","unregisteredArgs":true,"dateRefs":true,"value":[{"$date":0},{"$id":1,"b":2},{"$ref":1}]}]}`,
	`{"version":0,"messages":[{"target":"/1/onResult","response":"null","length":-1,"value":{"$amf3":[{"$class":"C","x":1},{"$class":"C","x":2}]}}]}`,
	`{"messages":[{"target":"t","value":{"$id":1,"a":1}},{"target":"u","value":{"$ref":1}}]}`,
	`{"sol":"a","version":0,"data":{"$id":1,"self":{"$ref":1},"o":{"$id":2,"a":1},"p":{"$ref":2},"d":{"$date":0}}}`,
	`{"sol":"a","version":3,"data":{"a":{"k":"s"},"b":{"k":"s"},"k":"s","v":{"$vector":"int","items":[1]}}}`,
	`{"sol":"a","version":0,"data":{"a":{"$amf3":{"k":"s"}},"b":{"$amf3":{"k":"s"}},"c":{"$bytes":"AA=="}}}`,
	// Member keys given twice: written as given, warned of alike.
	`{"sol":"a","version":3,"data":{"a":1,"b":{"x":1,"x":2},"a":3}}`,
	`{"version":3,"messages":[{"target":"t","response":"/1","value":[{"role":"user","role":"admin"},{"role":"user","role":"admin"}]}]}`,
}

// FuzzPacketJSON holds the direct JSON -> packet paths (one pass, and
// counted first) to the value model: the same bytes or the same error,
// and nothing written on an error.
func FuzzPacketJSON(f *testing.F) {
	for _, s := range packetSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		checkPacketPaths(t, "fuzz", data)
	})
}

// FuzzSOLJSON is FuzzPacketJSON for JSON -> .sol.
func FuzzSOLJSON(f *testing.F) {
	for _, s := range packetSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		checkSOLPaths(t, "fuzz", data)
	})
}
