package convert

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkReadFLV reads the script tags of an FLV of 19 real payloads
// (testdata/flv) into values.
func BenchmarkReadFLV(b *testing.B) {
	data, err := os.ReadFile("../testdata/flv/go2rtc-amf0-payloads.flv")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadFLV(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadFLVVideo reads an FLV that is mostly video (its
// onMetaData, then 64 video tags of 64 KiB): the container walk.
func BenchmarkReadFLVVideo(b *testing.B) {
	head, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		b.Fatal(err)
	}
	data := append([]byte{}, head...)
	for i := 0; i < 64; i++ {
		data = append(data, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)
		data = append(data, bytes.Repeat([]byte{0x17}, 1<<16)...)
		data = append(data, 0, 1, 0, 11)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadFLV(data); err != nil {
			b.Fatal(err)
		}
	}
}
