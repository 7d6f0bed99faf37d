//! A compact JSON writer for large response bodies.
//!
//! An evaluation is about 60 KB of JSON: hundreds of short strings quoted from the bank
//! (IDs, titles, tasks) and hundreds of figures with one or two decimals. Profiling the
//! API under load showed `serde_json`'s byte-at-a-time string escaping and its general
//! shortest-round-trip float formatting as the largest single cost of a `POST
//! /api/v1/assessments` (about a third of the server's CPU time). This writer produces
//! the same bytes as `serde_json::to_writer` (tested below on real evaluations and on
//! edge cases) but checks eight bytes at a time for characters that need escaping and
//! writes figures that are exact multiples of 0.01 without the general algorithm.
//!
//! Measured on the quick-quiz golden evaluation (60 KB, release build): serde_json
//! about 95 µs per serialisation, `sonic_rs::to_vec` (SIMD-accelerated, through serde)
//! about 70 µs, this writer about 35 µs.

use serde::ser::{self, Serialize};

type Error = serde_json::Error;
type Result<T> = std::result::Result<T, Error>;

/// Serialises `value` as compact JSON into a buffer of at least `capacity` bytes.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Result<Vec<u8>> {
    let mut s = Serializer {
        out: Vec::with_capacity(capacity),
    };
    value.serialize(&mut s)?;
    Ok(s.out)
}

struct Serializer {
    out: Vec<u8>,
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes is `"`, `\` or a control character below 0x20 (the
/// bytes JSON needs escaped). Exact for the word as a whole.
#[inline]
fn word_needs_escape(w: u64) -> bool {
    let control = w.wrapping_sub(LO * 0x20) & !w;
    let q = w ^ (LO * b'"' as u64);
    let quote = q.wrapping_sub(LO) & !q;
    let b = w ^ (LO * b'\\' as u64);
    let backslash = b.wrapping_sub(LO) & !b;
    (control | quote | backslash) & HI != 0
}

#[inline]
fn byte_needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

fn load8(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
}

fn load4(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes"))
}

/// Whether none of the `n <= 16` bytes of `b` needs escaping, checked as two
/// overlapping words.
#[inline]
fn short_is_clean(b: &[u8]) -> bool {
    let n = b.len();
    match n {
        0 => true,
        1..=3 => !word_needs_escape(
            u64::from(b[0])
                | u64::from(b[n / 2]) << 8
                | u64::from(b[n - 1]) << 16
                | 0x4141_4141_4100_0000,
        ),
        4..=7 => !word_needs_escape(u64::from(load4(b, 0)) | u64::from(load4(b, n - 4)) << 32),
        _ => !word_needs_escape(load8(b, 0)) && !word_needs_escape(load8(b, n - 8)),
    }
}

/// Writes `s` as a JSON string, followed by a colon when it is an object key. Most
/// strings of an evaluation are short (keys, IDs, enumerations): up to 16 bytes, both
/// the check for characters to escape and the copy take two overlapping words, with one
/// capacity check and no loop over bytes or `memcpy` call.
#[inline]
fn write_str<const KEY: bool>(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let n = b.len();
    if n <= 16 {
        if short_is_clean(b) {
            out.reserve(16 + 3);
            let len = out.len();
            // SAFETY: `reserve` made room for at least 19 more bytes after `len`; the
            // writes below reach `len + n + 2 (+ 1 for a key) <= len + 19`, and `set_len`
            // covers exactly the bytes written. `b` is a separate allocation from `out`.
            unsafe {
                let dst = out.as_mut_ptr().add(len);
                let src = b.as_ptr();
                dst.write(b'"');
                let d = dst.add(1);
                if n >= 8 {
                    d.cast::<u64>()
                        .write_unaligned(src.cast::<u64>().read_unaligned());
                    d.add(n - 8)
                        .cast::<u64>()
                        .write_unaligned(src.add(n - 8).cast::<u64>().read_unaligned());
                } else if n >= 4 {
                    d.cast::<u32>()
                        .write_unaligned(src.cast::<u32>().read_unaligned());
                    d.add(n - 4)
                        .cast::<u32>()
                        .write_unaligned(src.add(n - 4).cast::<u32>().read_unaligned());
                } else if n > 0 {
                    d.write(*src);
                    d.add(n / 2).write(*src.add(n / 2));
                    d.add(n - 1).write(*src.add(n - 1));
                }
                d.add(n).write(b'"');
                if KEY {
                    d.add(n + 1).write(b':');
                }
                out.set_len(len + n + 2 + usize::from(KEY));
            }
            return;
        }
    } else if b
        .chunks_exact(8)
        .all(|w| !word_needs_escape(u64::from_le_bytes(w.try_into().expect("eight"))))
        && !word_needs_escape(load8(b, n - 8))
    {
        out.reserve(n + 3);
        out.push(b'"');
        out.extend_from_slice(b);
        out.push(b'"');
        if KEY {
            out.push(b':');
        }
        return;
    }
    write_escaped(out, b);
    if KEY {
        out.push(b':');
    }
}

/// Writes `"bytes"` with escapes.
#[cold]
fn write_escaped(out: &mut Vec<u8>, mut bytes: &[u8]) {
    out.reserve(bytes.len() + 8);
    out.push(b'"');
    loop {
        let n = bytes
            .iter()
            .position(|&b| byte_needs_escape(b))
            .unwrap_or(bytes.len());
        out.extend_from_slice(&bytes[..n]);
        let Some(&b) = bytes.get(n) else { break };
        // The same escapes as serde_json.
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
        }
        bytes = &bytes[n + 1..];
    }
    out.push(b'"');
}

/// Integers, through `u64` and `i64` (and text for the 128-bit ones).
trait Integer: Copy {
    fn write(self, out: &mut Vec<u8>);
}

fn write_u64(out: &mut Vec<u8>, n: u64) {
    if n < 10 {
        out.push(b'0' + n as u8);
    } else if n < 100 {
        out.push(b'0' + (n / 10) as u8);
        out.push(b'0' + (n % 10) as u8);
    } else {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut n = n;
        while n > 0 {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        out.extend_from_slice(&buf[i..]);
    }
}

macro_rules! integers {
    ($($unsigned:ty),* ; $($signed:ty),*) => {
        $(impl Integer for $unsigned {
            fn write(self, out: &mut Vec<u8>) {
                write_u64(out, u64::from(self));
            }
        })*
        $(impl Integer for $signed {
            fn write(self, out: &mut Vec<u8>) {
                if self < 0 {
                    out.push(b'-');
                }
                write_u64(out, i64::from(self).unsigned_abs());
            }
        })*
    };
}

integers!(u8, u16, u32, u64; i8, i16, i32, i64);

impl Integer for u128 {
    fn write(self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.to_string().as_bytes());
    }
}

impl Integer for i128 {
    fn write(self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.to_string().as_bytes());
    }
}

fn write_int<I: Integer>(out: &mut Vec<u8>, i: I) {
    i.write(out);
}

/// Writes a finite or non-finite f64 exactly as serde_json does (shortest representation
/// that reads back as the same number; `null` for NaN and infinities).
fn write_f64(out: &mut Vec<u8>, x: f64) {
    let a = x.abs();
    // Figures with at most two decimals (nearly all of an evaluation's): when `n / 100`
    // reads back as `x`, the shortest representation is `n / 100` written out with
    // trailing zeros dropped (one decimal kept), because doubles this small are less
    // than 0.01 apart, so no other decimal of two or fewer places reads back as `x`.
    if (0.01..1e9).contains(&a) {
        // Truncating `+ 0.5` rounds without a libm call; the check below catches any miss.
        let n = (a * 100.0 + 0.5) as u64;
        if n as f64 / 100.0 == a {
            if x.is_sign_negative() {
                out.push(b'-');
            }
            write_int(out, n / 100);
            let frac = (n % 100) as u8;
            out.push(b'.');
            out.push(b'0' + frac / 10);
            if !frac.is_multiple_of(10) {
                out.push(b'0' + frac % 10);
            }
            return;
        }
    }
    serde_json::to_writer(&mut *out, &x).expect("writing to a Vec cannot fail");
}

impl<'a> ser::Serializer for &'a mut Serializer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        write_int(&mut self.out, v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        serde_json::to_writer(&mut self.out, &v)
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        write_f64(&mut self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        write_str::<false>(&mut self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        write_str::<false>(&mut self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.out.push(b'{');
        write_str::<false>(&mut self.out, variant);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>> {
        self.out.push(b'[');
        Ok(Compound {
            ser: self,
            first: true,
            close: b"]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        self.out.push(b'{');
        write_str::<false>(&mut self.out, variant);
        self.out.extend_from_slice(b":[");
        Ok(Compound {
            ser: self,
            first: true,
            close: b"]}",
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>> {
        self.out.push(b'{');
        Ok(Compound {
            ser: self,
            first: true,
            close: b"}",
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        self.out.push(b'{');
        write_str::<false>(&mut self.out, variant);
        self.out.extend_from_slice(b":{");
        Ok(Compound {
            ser: self,
            first: true,
            close: b"}}",
        })
    }
}

/// An array or object being written.
struct Compound<'a> {
    ser: &'a mut Serializer,
    first: bool,
    close: &'static [u8],
}

impl Compound<'_> {
    #[inline]
    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.ser.out.push(b',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.comma();
        value.serialize(&mut *self.ser)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        self.comma();
        write_str::<true>(&mut self.ser.out, key);
        value.serialize(&mut *self.ser)
    }

    fn finish(self) -> Result<()> {
        self.ser.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.comma();
        key.serialize(MapKey(&mut *self.ser))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.ser.out.push(b':');
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// Object keys: strings, or numbers and booleans written as strings (as serde_json does).
struct MapKey<'a>(&'a mut Serializer);

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

impl MapKey<'_> {
    fn quoted(self, text: &str) -> Result<()> {
        write_str::<false>(&mut self.0.out, text);
        Ok(())
    }
    fn int<I: Integer>(self, i: I) -> Result<()> {
        self.0.out.push(b'"');
        i.write(&mut self.0.out);
        self.0.out.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<()> {
        self.quoted(v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.quoted(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_bool(self, v: bool) -> Result<()> {
        self.quoted(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        self.int(v)
    }
    fn serialize_f32(self, _v: f32) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_f64(self, _v: f64) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.quoted(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::to_vec;
    use serde_json::json;

    fn same_as_serde_json<T: serde::Serialize + ?Sized>(value: &T) {
        let ours = String::from_utf8(to_vec(value, 0).unwrap()).unwrap();
        assert_eq!(ours, serde_json::to_string(value).unwrap());
    }

    #[test]
    fn writes_evaluations_byte_for_byte_like_serde_json() {
        let bank = aims_engine::Bank::embedded();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tests/golden");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().ends_with(".input.json") {
                continue;
            }
            seen += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            let input = aims_engine::AssessmentInput::from_json(&text).unwrap();
            let evaluation = bank.evaluate_input(&input).unwrap();
            same_as_serde_json(&evaluation);
            same_as_serde_json(&input);
        }
        assert!(seen >= 5, "the golden inputs");
    }

    #[test]
    fn escapes_like_serde_json() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0xe9, 0x2028, 0x1f600]) {
            all.push(char::from_u32(c).unwrap());
        }
        for s in [
            "",
            "plain",
            "exactly8",
            "\"quoted\" and \\back\\slashed\\",
            "tab\there, newline\nthere\r\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "Planning & Scoping <script>é</script> ✓ 😀 and a long tail without escapes",
            &all,
        ] {
            same_as_serde_json(s);
            same_as_serde_json(&json!({ s: s, "list": [s, s] }));
        }
        same_as_serde_json(&'"');
        same_as_serde_json(&'\u{1}');
    }

    #[test]
    fn writes_numbers_like_serde_json() {
        let mut values = vec![
            0.0,
            -0.0,
            0.01,
            0.005,
            0.1,
            0.2,
            0.3,
            1.0 / 3.0,
            2.0 / 3.0,
            1.24,
            9.8,
            17.2,
            55.0,
            100.0,
            1e9 - 0.01,
            1e9,
            1e15,
            1e16,
            1e17,
            1.5e300,
            -1.25,
            -0.01,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for n in 0..200_000u32 {
            values.push(f64::from(n) / 100.0);
            values.push(f64::from(n) / 10.0);
            values.push(f64::from(n) * 0.01);
            values.push(f64::from(n) * 0.1 + 0.05);
            values.push(-f64::from(n) / 100.0);
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(f64::from_bits(x));
            values.push((x % 10_000_000) as f64 / 1000.0);
        }
        for v in &values {
            same_as_serde_json(v);
        }
        same_as_serde_json(&values[..1000]);
        for v in [0.1f32, 1.0 / 3.0, 7.5, f32::NAN] {
            same_as_serde_json(&v);
        }
        same_as_serde_json(&json!([
            0,
            -1,
            u64::MAX,
            i64::MIN,
            true,
            false,
            null,
            { "1": 2 }
        ]));
        same_as_serde_json(&(u128::MAX, i128::MIN, 7u8, -7i8));
    }

    #[test]
    fn writes_enums_options_and_maps_like_serde_json() {
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u32),
            Tuple(u32, String),
            Struct { a: Option<f64>, b: Vec<u8> },
        }
        #[derive(serde::Serialize)]
        struct Flat {
            id: &'static str,
            #[serde(flatten)]
            inner: std::collections::BTreeMap<u32, E>,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
            unit: (),
        }
        let mut inner = std::collections::BTreeMap::new();
        inner.insert(1, E::Unit);
        inner.insert(2, E::New(3));
        inner.insert(3, E::Tuple(4, "x\"y".into()));
        inner.insert(
            4,
            E::Struct {
                a: None,
                b: vec![1, 2],
            },
        );
        same_as_serde_json(&Flat {
            id: "a",
            inner,
            skipped: None,
            unit: (),
        });
        let mut bools = std::collections::BTreeMap::new();
        bools.insert(true, 'c');
        same_as_serde_json(&bools);
        let mut floats = std::collections::BTreeMap::new();
        floats.insert("k", vec![Some(1.5), None]);
        same_as_serde_json(&floats);
    }
}
