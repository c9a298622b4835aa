package convert_test

import (
	"fmt"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

// ExampleAppendValue converts AMF3 bytes to both JSON forms.
func ExampleAppendValue() {
	// {"id": 7, "price": 2.0, "when": date} as Flash Player writes it.
	data := []byte{
		0x0a, 0x0b, 0x01, // anonymous dynamic object
		0x05, 'i', 'd', 0x04, 0x07, // id: integer 7
		0x0b, 'p', 'r', 'i', 'c', 'e', 0x05, 0x40, 0, 0, 0, 0, 0, 0, 0, // price: double 2.0
		0x09, 'w', 'h', 'e', 'n', 0x08, 0x01, 0x42, 0x72, 0x5b, 0x39, 0x0f, 0x5d, 0xe0, 0x00, // when: date
		0x01, // end of dynamic members
	}
	var v any
	if err := amf.Unmarshal(data, amf.AMF3, &v); err != nil {
		fmt.Println(err)
		return
	}
	plain, _ := convert.AppendValue(nil, v, nil)
	typed, _ := convert.AppendValue(nil, v, &convert.Options{Typed: true})
	fmt.Println(string(plain))
	fmt.Println(string(typed))
	// Output:
	// {"id":7,"price":2,"when":"2009-12-21T23:27:19.518Z"}
	// {"id":7,"price":2.0,"when":{"$date":"2009-12-21T23:27:19.518Z"}}
}

// ExampleFromJSON turns typed JSON into AMF0 and AMF3 bytes.
func ExampleFromJSON() {
	v, err := convert.FromJSON([]byte(`{"$class": "com.example.User", "name": "Ada", "age": 36}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	a0, _ := amf.Marshal(v, amf.AMF0)
	a3, _ := amf.Marshal(v, amf.AMF3)
	fmt.Printf("% x\n% x\n", a0, a3)
	// Output:
	// 10 00 10 63 6f 6d 2e 65 78 61 6d 70 6c 65 2e 55 73 65 72 00 04 6e 61 6d 65 02 00 03 41 64 61 00 03 61 67 65 00 40 42 00 00 00 00 00 00 00 00 09
	// 0a 23 21 63 6f 6d 2e 65 78 61 6d 70 6c 65 2e 55 73 65 72 09 6e 61 6d 65 07 61 67 65 06 07 41 64 61 04 24
}
