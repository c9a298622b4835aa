package amf

// Reader steps the value decoder takes in its own loops, as the Reader
// would take them, without what only a token's reader needs.

// end3 is Reader.end for the innermost frame, an AMF3 object or array
// (or an AMF0 object or strict array) whose end the builder has just
// read: the frame is popped, and the frames that hold one value are
// ended only when the parent is one (Reader.done). No end token is
// made: the builder reads none (every token it looks at is one it has
// just asked for), and neither does anything after a value (ReadValue's
// callers and the Reader's next token start afresh).
func (b *builder) end3() {
	r := b.r
	n := len(r.stack) - 1
	if r.stack[n].counts {
		r.depth--
	}
	r.stack = r.stack[:n]
	if n > 0 && r.stack[n-1].kind >= fWrapper3 {
		r.done()
	}
}

// push is Reader.pushC followed by setting the frame's traits, with the
// pointer fields stored only when they change: the frame of a depth is
// reused by objects of the same traits, one after the other, and an
// unchanged field needs no store (and, while the GC marks, no write
// barrier).
func (b *builder) push(k frameKind, tr *traits3) *frame {
	r := b.r
	r.opened()
	r.depth++
	n := len(r.stack)
	if n < cap(r.stack) {
		r.stack = r.stack[:n+1]
	} else {
		r.stack = append(r.stack, frame{})
	}
	f := &r.stack[n]
	f.frameHead = frameHead{kind: k, counts: true}
	// Only an object's frame reads tr: an array's (tr nil) keeps what
	// the last object of its depth set, a pointer into the Reader's own
	// traits table, so that objects and arrays that take turns at one
	// depth (W1's supplier and dims) store nothing either.
	if tr != nil && f.tr != tr {
		f.tr = tr
	}
	if len(f.pending) != 0 {
		f.pending = f.pending[:0]
	}
	return f
}
