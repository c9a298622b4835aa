package amf_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/amfcall/amfcall/amf"
)

func ExampleMarshal() {
	user := &amf.Object{Class: "com.example.User", Members: []amf.Member{
		{Name: "id", Value: amf.Int(7)},
		{Name: "name", Value: "Ann"},
	}}
	b, err := amf.Marshal(user, amf.AMF3)
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)

	// Plain Go values work too: maps are written with sorted keys, ints
	// as AMF3 integers when they fit in 29 bits.
	b, err = amf.Marshal(map[string]any{"n": 1, "big": 1 << 30}, amf.AMF3)
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)
	// Output:
	// 0a 23 21 63 6f 6d 2e 65 78 61 6d 70 6c 65 2e 55 73 65 72 05 69 64 09 6e 61 6d 65 04 07 06 07 41 6e 6e
	// 0a 0b 01 07 62 69 67 05 41 d0 00 00 00 00 00 00 03 6e 04 01 01
}

func ExampleDecoder_Decode_stream() {
	// Two AMF3 values one after the other, as in a file of bare values:
	// the second is a reference to the first, because the reference tables
	// run across the whole stream.
	stream := []byte{0x0a, 0x0b, 0x01, 0x03, 0x6b, 0x06, 0x03, 0x76, 0x01, 0x0a, 0x00}
	dec := amf.NewDecoder(bytes.NewReader(stream), amf.AMF3)
	var values []any
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		values = append(values, v)
	}
	o := values[0].(*amf.Object)
	fmt.Println(len(values), o.Members[0].Name, o.Members[0].Value, values[0] == values[1])
	// Output: 2 k v true
}

func ExampleDecOptions() {
	// Untrusted input: tighten the limits. Zero fields keep their defaults.
	dm, err := amf.DecOptions{MaxDepth: 16, MaxLength: 1 << 20}.DecMode()
	if err != nil {
		panic(err)
	}
	nested := bytes.Repeat([]byte{0x09, 0x03, 0x01}, 20) // 20 nested arrays
	var v any
	err = dm.Unmarshal(append(nested, 0x01), amf.AMF3, &v)
	var depth *amf.MaxDepthError
	fmt.Println(errors.As(err, &depth), depth.Limit, v)

	// A claimed length is checked against the bytes that are left before
	// anything is allocated.
	err = dm.Unmarshal([]byte{0x0c, 0xff, 0xff, 0x7f, 'a'}, amf.AMF3, &v)
	fmt.Println(err)
	fmt.Println(errors.Is(err, io.ErrUnexpectedEOF))
	// Output:
	// true 16 <nil>
	// amf3: length 1048575 exceeds the 1 bytes left: unexpected EOF at offset 1
	// true
}

func ExampleUnmarshalPacket() {
	// svc.echo("hi", 1), as an AMF0 client sends it.
	req := []byte("\x00\x00\x00\x00\x00\x01\x00\x08svc.echo\x00\x02/1\x00\x00\x00\x13" +
		"\x0a\x00\x00\x00\x02\x02\x00\x02hi\x00\x3f\xf0\x00\x00\x00\x00\x00\x00")
	p, err := amf.UnmarshalPacket(req)
	if err != nil {
		panic(err)
	}
	msg := p.Messages[0]
	fmt.Println(p.Version, msg.Target, msg.Response, msg.Value.(*amf.Array).Dense)

	// The reply, with the exact length written.
	out, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{
		{Target: msg.Response + "/onResult", Response: "null", Value: "hi"},
	}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", out)
	// Output:
	// 0 svc.echo /1 [hi 1]
	// 00 00 00 00 00 01 00 0b 2f 31 2f 6f 6e 52 65 73 75 6c 74 00 04 6e 75 6c 6c 00 00 00 05 02 00 02 68 69
}

// WriteDumpText explains every byte: here an AMF3 object {"a": 2}, cut
// short of the byte that ends its dynamic members.
func ExampleWriteDumpText() {
	data := []byte{0x0a, 0x0b, 0x01, 0x03, 'a', 0x04, 0x02}
	err := amf.WriteDumpText(os.Stdout, data, amf.DumpAMF3, nil, false)
	fmt.Println(err)
	// Output:
	// 00000000  0a 0b                    object: U29 0b = inline object, inline traits, dynamic, 0 sealed members → traits[0] → objects[0]
	// 00000002  01                         class name "" (U29 01: the empty string, never in the table)
	// 00000003  03 61                      name "a" (U29 03: inline, 1 byte → strings[0])
	// 00000005  04 02                      integer 2 (U29 02)
	// 00000007                           error: amf3: unexpected EOF at offset 7
	// amf3: unexpected EOF at offset 7
}
