// Package amftest holds what the tests of several packages share: the
// benchmark workloads of the amf and convert benchmarks, so that both
// measure the same data, and helpers for replaying recorded packets.
package amftest

import (
	"fmt"

	"github.com/amfcall/amfcall/amf"
)

// W1 is a remoting result of n anonymous objects of eight fields: an int
// id, a name from a pool of 50 (so AMF3 string references kick in), a
// double price, a bool, a date with milliseconds, a nested object of two
// strings, an array of three ints and a null.
func W1(n int) *amf.Array {
	names := make([]string, 50)
	for i := range names {
		names[i] = fmt.Sprintf("product-%02d", i)
	}
	items := make([]any, n)
	for i := range items {
		items[i] = &amf.Object{Members: []amf.Member{
			{Name: "id", Value: amf.Int(i + 1)},
			{Name: "name", Value: names[i%50]},
			{Name: "price", Value: float64(i%1000) + 0.99},
			{Name: "inStock", Value: i%3 != 0},
			{Name: "updated", Value: &amf.Date{Ms: 1700000000123 + float64(i)*1000}},
			{Name: "supplier", Value: &amf.Object{Members: []amf.Member{
				{Name: "city", Value: names[(i*7)%50]},
				{Name: "country", Value: names[(i*13)%50]},
			}}},
			{Name: "dims", Value: &amf.Array{Dense: []any{amf.Int(i % 100), amf.Int(i % 37), amf.Int(3)}}},
			{Name: "note", Value: nil},
		}}
	}
	return &amf.Array{Dense: items}
}

// W2 is one ByteArray of n bytes.
func W2(n int) *amf.ByteArray {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 131)
	}
	return &amf.ByteArray{Data: b}
}

// W3 is one array of n values alternating small ints and short strings.
func W3(n int) *amf.Array {
	items := make([]any, n)
	for i := range items {
		if i%2 == 0 {
			items[i] = amf.Int(i % 1000)
		} else {
			items[i] = fmt.Sprintf("s%d", i%5000)
		}
	}
	return &amf.Array{Dense: items}
}

// W4 is an FLV onMetaData ECMA array of about 20 keys with a keyframes
// object of two 500-double arrays.
func W4() *amf.ECMAArray {
	times := make([]any, 500)
	pos := make([]any, 500)
	for i := range times {
		times[i] = float64(i) * 2.002
		pos[i] = float64(1024 + i*48213)
	}
	ms := []amf.Member{
		{Name: "duration", Value: 1000.96},
		{Name: "width", Value: 1280.0},
		{Name: "height", Value: 720.0},
		{Name: "videodatarate", Value: 1500.0},
		{Name: "framerate", Value: 29.97},
		{Name: "videocodecid", Value: 7.0},
		{Name: "audiodatarate", Value: 128.0},
		{Name: "audiosamplerate", Value: 44100.0},
		{Name: "audiosamplesize", Value: 16.0},
		{Name: "stereo", Value: true},
		{Name: "audiocodecid", Value: 10.0},
		{Name: "filesize", Value: 24113000.0},
		{Name: "encoder", Value: "Lavf58.29.100"},
		{Name: "hasVideo", Value: true},
		{Name: "hasAudio", Value: true},
		{Name: "hasMetadata", Value: true},
		{Name: "hasKeyframes", Value: true},
		{Name: "canSeekToEnd", Value: false},
		{Name: "lasttimestamp", Value: 1000.9},
		{Name: "keyframes", Value: &amf.Object{Members: []amf.Member{
			{Name: "times", Value: &amf.Array{Dense: times}},
			{Name: "filepositions", Value: &amf.Array{Dense: pos}},
		}}},
	}
	return &amf.ECMAArray{Members: ms}
}
