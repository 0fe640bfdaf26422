//! Expected strings are Go's `fmt.Sprintf` results for the same directives and argument types.

use super::{Arg, go_sprintf};

fn s(format: &str, args: &[Arg]) -> String {
    go_sprintf(format, args).unwrap_or_else(|e| format!("error: {e}"))
}

use Arg::{Big, Float, Int, Str};

#[test]
fn missing_and_extra_arguments_are_written_not_errors() {
    assert_eq!(s("%d %s", &[Int(1)]), "1 %!s(MISSING)");
    assert_eq!(s("%v", &[Int(1), Str("x".into())]), "1%!(EXTRA string=x)");
    assert_eq!(s("%[2]d %[1]d", &[Int(1), Int(2)]), "2 1");
    assert_eq!(s("%[3]d", &[Int(1)]), "%!d(BADINDEX)");
    assert_eq!(s("50%", &[]), "50%!(NOVERB)");
    assert_eq!(s("100%%", &[]), "100%");
}

#[test]
fn wrong_verbs_name_the_go_type() {
    assert_eq!(s("%s", &[Int(5)]), "%!s(int=5)");
    assert_eq!(s("%d", &[Str("x".into())]), "%!d(string=x)");
    assert_eq!(s("%t", &[Str("true".into())]), "%!t(string=true)");
    assert_eq!(
        s("%T %T %T %T", &[Int(1), Float(1.5), Str("a".into()), Big("99999999999999999999".into())]),
        "int float64 string *big.Int"
    );
}

#[test]
fn integers() {
    assert_eq!(s("%5d|%-5d|%05d|%+d|% d", &[Int(3), Int(3), Int(3), Int(5), Int(5)]), "    3|3    |00003|+5| 5");
    assert_eq!(s("%x %X %o %b %O", &[Int(255), Int(255), Int(8), Int(5), Int(8)]), "ff FF 10 101 0o10");
    assert_eq!(s("%#x %#o %#b", &[Int(255), Int(8), Int(5)]), "0xff 010 0b101");
    assert_eq!(s("%05d %.3d %-05d|", &[Int(-42), Int(7), Int(1)]), "-0042 007 1    |");
    assert_eq!(s("%c %U %q", &[Int(65), Int(0x1F600), Int(65)]), "A U+1F600 'A'");
    assert_eq!(
        s("%d %x", &[Big("123456789012345678901234567890".into()), Big("123456789012345678901234567890".into())]),
        "123456789012345678901234567890 18ee90ff6c373e0ee4e3f0ad2"
    );
    assert_eq!(s("%*d|%-*d|", &[Int(5), Int(1), Int(3), Int(1)]), "    1|1  |");
}

#[test]
fn floats() {
    assert_eq!(
        s("%v %v %v %v %v", &[Float(1.5), Float(1e6), Float(0.00001), Float(123456.0), Float(0.0001)]),
        "1.5 1e+06 1e-05 123456 0.0001"
    );
    assert_eq!(
        s("%.2f %f %e %E", &[Float(3.14259), Float(2.5), Float(1234.5678), Float(0.5)]),
        "3.14 2.500000 1.234568e+03 5.000000E-01"
    );
    assert_eq!(s("%g %.3g %G", &[Float(100000.0), Float(3.14259), Float(1e-7)]), "100000 3.14 1E-07");
    assert_eq!(s("%8.3f|%-8.2f|%08.3f", &[Float(3.14259), Float(2.5), Float(-3.14259)]), "   3.143|2.50    |-003.143");
}

#[test]
fn strings() {
    assert_eq!(
        s(
            "%s|%v|%.3s|%5s|%-5s|",
            &[Str("a".into()), Str("b".into()), Str("abcdef".into()), Str("x".into()), Str("y".into())]
        ),
        "a|b|abc|    x|y    |"
    );
    assert_eq!(
        s("%q %x %X % x", &[Str("a\"b".into()), Str("hi".into()), Str("hi".into()), Str("hi".into())]),
        "\"a\\\"b\" 6869 6869 68 69"
    );
    assert_eq!(s("%#q", &[Str("a\"b".into())]), "`a\"b`");
}

#[test]
fn widths_are_bounded() {
    // Go stops reading a width beyond a million digits' worth: no verb.
    assert_eq!(s("%100000000d", &[Int(1)]), "%!(NOVERB)%!(EXTRA int=1)");
    assert!(s("%9999999d%9999999d", &[Int(1), Int(1)]).starts_with("error: sprintf: the result would exceed"));
    // Non-ASCII digits are not a width (regorus' own sprintf panicked on them).
    assert_eq!(s("%٣d", &[Int(1)]), "%!٣(int=1)d");
}
