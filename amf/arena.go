package amf

// An Arena is memory for decoded values that the next decode reuses,
// for a program that decodes one value or packet after another and is
// done with each before it decodes the next (a client checking replies,
// a server reading requests, a reader of AMF Socket frames).
//
// A decode into an Arena allocates almost nothing once the Arena has
// grown to the size of the values: the objects, arrays, members, dates
// and boxed numbers of the last decode are cleared and used again. This
// spares the garbage collector most of its work: W1 (a remoting result
// of 1,000 objects) decodes about 3.3 times as fast as with
// [DecMode.Unmarshal] on two cores and 1.9 times as fast on one
// (BenchmarkDecodeArena against BenchmarkDecode).
//
// The values of a decode are valid until the Arena's next decode: after
// it, every container, member and boxed number they hold (everything
// but strings and byte slices, which are never reused) may hold a value
// of the new decode. Copy what you keep, for example with
// [encoding/json] or by encoding it again. The results, errors and
// limits of an Arena's decodes are those of the DecMode it was made
// from. An Arena keeps at most about 48 MiB from one decode to the next.
// It must not be used by two goroutines at once.
type Arena struct {
	m *DecMode
	b *builder
}

// NewArena returns an Arena with the default limits.
func NewArena() *Arena { return defaultDecMode.NewArena() }

// NewArena returns an Arena with the mode's limits.
func (m *DecMode) NewArena() *Arena {
	b := new(builder)
	b.r = &b.rd
	for _, p := range [...]*bool{&b.memSlab.reuse, &b.anySlab.reuse, &b.objSlab.reuse, &b.arrSlab.reuse,
		&b.dateSlab.reuse, &b.strSlab.reuse, &b.numSlab.reuse, &b.intSlab.reuse} {
		*p = true
	}
	return &Arena{m: m, b: b}
}

// Unmarshal is [DecMode.Unmarshal] into a's memory; the values of a's
// last decode are gone.
func (a *Arena) Unmarshal(data []byte, ver Version, v *any) error {
	return a.m.unmarshal(a, data, ver, v)
}

// UnmarshalFirst is [DecMode.UnmarshalFirst] into a's memory; the values
// of a's last decode are gone.
func (a *Arena) UnmarshalFirst(data []byte, ver Version, v *any) (rest []byte, err error) {
	return a.m.unmarshalFirst(a, data, ver, v)
}

// UnmarshalPacket is [DecMode.UnmarshalPacket] into a's memory; the
// values of a's last decode are gone.
func (a *Arena) UnmarshalPacket(data []byte) (*Packet, error) {
	return a.m.unmarshalPacket(a, data)
}

// builder is the builder a decode of data with m uses: a pooled one when
// a is nil, otherwise a's, whose last values are recycled.
func (a *Arena) builder(m *DecMode, data []byte, ver Version) *builder {
	if a == nil {
		return getBuilder(m, data, ver)
	}
	a.b.recycleSlabs()
	a.b.setup(m, data, ver)
	return a.b
}

// done ends the use of b that a.builder began.
func (a *Arena) done(b *builder) {
	if a == nil {
		putBuilder(b)
		return
	}
	b.release()
}
