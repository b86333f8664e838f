//! Issue 17, classes 3, 4, 8, 9 and 10: hostile datasets give a clear error or warning at
//! FILE:LINE:COLUMN, in bounded memory and time. Each test is the reproduction on
//! a copy of data/tiny (T); the large ones run the binary in at most 200 MB and 10 s
//! (`common::lungang_bounded`).

mod common;

use std::io::Write;
use std::path::Path;

use common::{append, lungang_bounded, replace, tiny_copy};
use lungang::input::load_dataset;

/// Every diagnostic of a dataset as printed, errors or warnings.
fn problems(dir: &Path) -> Vec<String> {
    let d = match load_dataset(dir, None) {
        Ok(l) => l.warnings,
        Err(e) => e.diagnostics,
    };
    d.iter().map(ToString::to_string).collect()
}

/// The dataset's one problem, which must start with `start`.
fn one_problem(dir: &Path, start: &str) {
    let p = problems(dir);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(
        p[0].starts_with(start),
        "{}\n  does not start with\n{start}",
        p[0]
    );
}

fn is_error(dir: &Path) -> bool {
    load_dataset(dir, None).is_err()
}

/// Deterministic junk: lines of letters, digits and commas.
fn junk(bytes: usize) -> Vec<u8> {
    let mut x: u64 = 17;
    let alphabet = b"abcXYZ019,,,;\"";
    let mut out = Vec::with_capacity(bytes);
    while out.len() < bytes {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let c = alphabet[(x >> 33) as usize % (alphabet.len() - 1)];
        out.push(if (x >> 20).is_multiple_of(40) {
            b'\n'
        } else {
            c
        });
    }
    out
}

#[test]
fn fifty_megabytes_of_junk_in_demand_is_one_error() {
    let (tmp, t) = tiny_copy();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(t.join("demand.csv"))
        .unwrap();
    f.write_all(&junk(50 << 20)).unwrap();
    let r = lungang_bounded(tmp.path(), &["validate", "T", "--json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "demand.csv:1:1: E0101 the file is 50 MiB, more than the 32 MiB lungang reads"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn junk_within_the_size_limit_shows_100_problems_and_counts_the_rest() {
    let (tmp, t) = tiny_copy();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(t.join("demand.csv"))
        .unwrap();
    f.write_all(&junk(30 << 20)).unwrap();
    let r = lungang_bounded(tmp.path(), &["validate", "T"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    // 100 problems, the lines counting the errors and the warnings left, the total.
    let head = &r.stderr[..2000.min(r.stderr.len())];
    assert_eq!(lines.len(), 103, "{head}");
    assert!(lines[100].contains("E0107 … and "), "{}", lines[100]);
    assert!(lines[101].contains("W0107 … and "), "{}", lines[101]);
    let json = lungang_bounded(tmp.path(), &["validate", "T", "--json"]);
    assert!(
        json.stdout.len() < 100_000,
        "{} bytes of JSON",
        json.stdout.len()
    );
}

#[cfg(unix)]
#[test]
fn a_ledger_linked_to_dev_zero_is_refused() {
    let (tmp, t) = tiny_copy();
    std::fs::remove_file(t.join("ledger.csv")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", t.join("ledger.csv")).unwrap();
    let r = lungang_bounded(tmp.path(), &["validate", "T"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("ledger.csv:1:1: E0101 not a regular file"),
        "{}",
        r.stderr
    );
}

/// The sheets of data/tiny as a workbook (numbers as numbers), `more` added to it.
fn tiny_workbook(
    path: &Path,
    sheets: &[(&str, &str)],
    more: impl Fn(&mut rust_xlsxwriter::Workbook),
) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (file, sheet) in sheets {
        let text = std::fs::read_to_string(common::repo("data/tiny").join(file)).unwrap();
        let ws = book.add_worksheet();
        ws.set_name(*sheet).unwrap();
        for (r, line) in text.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                match cell.parse::<f64>() {
                    Ok(v) if r > 0 => ws.write_number(r as u32, c as u16, v).unwrap(),
                    _ => ws.write_string(r as u32, c as u16, cell).unwrap(),
                };
            }
        }
    }
    more(&mut book);
    book.save(path).unwrap();
}

const SHEETS: [(&str, &str); 6] = [
    ("schools.csv", "schools"),
    ("communities.csv", "communities"),
    ("teachers.csv", "teachers"),
    ("demand.csv", "demand"),
    ("distances.csv", "distances"),
    ("ledger.csv", "ledger"),
];

#[test]
fn a_workbook_unpacking_to_a_gigabyte_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&book).unwrap());
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    zip.start_file("xl/worksheets/sheet1.xml", deflate).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    // About a thousandth: deflate's ratio at most.
    assert!(std::fs::metadata(&book).unwrap().len() < 2 << 20);
    let r = lungang_bounded(tmp.path(), &["validate", "bomb.xlsx"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("bomb.xlsx:1:1: E0101 the workbook unpacks to more than 32 MiB"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_cell_at_the_sheets_far_corner_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("far.xlsx");
    tiny_workbook(&book, &SHEETS, |b| {
        let ws = b.worksheet_from_name("demand").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
    });
    let r = lungang_bounded(tmp.path(), &["validate", "far.xlsx"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("far.xlsx[demand]:100002:257: E0108 a cell at row 1048576, column 16384"),
        "{}",
        r.stderr
    );
}

#[test]
fn duplicate_sheets_in_a_workbook_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("two.xlsx");
    let mut sheets = SHEETS.to_vec();
    sheets.push(("schools.csv", "学校"));
    tiny_workbook(&book, &sheets, |_| {});
    std::fs::copy(
        common::repo("data/tiny/policy.toml"),
        tmp.path().join("policy.toml"),
    )
    .unwrap();
    one_problem(
        &book,
        "two.xlsx[学校]:1:1: E0109 a second sheet for schools.csv: `学校`, after `schools`",
    );
}

#[test]
fn a_date_cell_in_birth_year_says_it_is_a_date() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("dates.xlsx");
    std::fs::copy(
        common::repo("data/tiny/policy.toml"),
        tmp.path().join("policy.toml"),
    )
    .unwrap();
    tiny_workbook(&book, &SHEETS, |b| {
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let ws = b.worksheet_from_name("teachers").unwrap();
        ws.write_number_with_format(1, 6, 29221.0, &date).unwrap();
    });
    one_problem(
        &book,
        "dates.xlsx[teachers]:2:7: E0202 `birth_year` is not an integer: `1980-01-01`: the cell is formatted as a date (expected a year (1900-2200), in a cell formatted as a number or text)",
    );
}

#[test]
fn weights_that_break_the_solver_are_refused_at_their_line() {
    let (tmp, t) = tiny_copy();
    append(&t.join("policy.toml"), "\n[weights]\nunmet = 1e15\n");
    let line = std::fs::read_to_string(t.join("policy.toml"))
        .unwrap()
        .lines()
        .count();
    one_problem(
        &t,
        &format!("policy.toml:{line}:9: E0504 `weights.unmet` = 1e15 is out of range (expected a number in [0, 10000000])"),
    );
    replace(&t.join("policy.toml"), "1e15", "1e20");
    let r = lungang_bounded(tmp.path(), &["validate", "T", "--json"]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON on stdout");
    assert_eq!(v["valid"], false);
}

#[test]
fn road_factor_1e308_is_refused() {
    let (_tmp, t) = tiny_copy();
    append(&t.join("policy.toml"), "\n[travel]\nroad_factor = 1e308\n");
    let p = problems(&t);
    assert!(
        p.len() == 1
            && p[0].contains(
                "E0504 `travel.road_factor` = 1e308 is out of range (expected a factor in [1, 10])"
            ),
        "{p:#?}"
    );
}

#[test]
fn ids_with_a_space_newline_or_nul_are_refused() {
    for (id, code) in [
        ("T 03", "E0211"),
        ("\"T\n03\"", "E0212"),
        ("T\u{0}03", "E0212"),
    ] {
        let (_tmp, t) = tiny_copy();
        replace(&t.join("teachers.csv"), "T03,", &format!("{id},"));
        replace(&t.join("ledger.csv"), "T03,", "T01,");
        replace(
            &t.join("ledger.csv"),
            "T01,S01,S02,2023,2023",
            "T01,S01,S02,2020,2020",
        );
        let p = problems(&t);
        assert!(
            p.len() == 1 && p[0].starts_with(&format!("teachers.csv:4:1: {code} ")),
            "{id:?}: {p:#?}"
        );
    }
}

#[test]
fn ids_and_names_starting_with_a_formula_sign_are_refused() {
    for sign in ["=", "+", "-", "@"] {
        let (_tmp, t) = tiny_copy();
        replace(
            &t.join("schools.csv"),
            "S05,竹林村小学",
            &format!("S05,{sign}HYPERLINK(\"\"x\"\")"),
        );
        replace(&t.join("schools.csv"), "S05,", &format!("\"{sign}S05\","));
        let p = problems(&t);
        let e0212: Vec<&String> = p.iter().filter(|x| x.contains("E0212")).collect();
        assert_eq!(e0212.len(), 2, "{sign}: {p:#?}");
        assert!(e0212[0].starts_with("schools.csv:6:1: E0212"), "{p:#?}");
        assert!(e0212[1].starts_with("schools.csv:6:2: E0212"), "{p:#?}");
    }
}

/// plan.xlsx holds no formula, whatever the names: every text cell is a string.
#[test]
fn plan_xlsx_writes_every_text_cell_as_a_string() {
    use lungang::domain::{DatasetBuilder, Mode, SchoolKind, Stages, TeacherSpec};
    let mut b = DatasetBuilder::new()
        .school("S1", SchoolKind::Urban, Stages::PRIMARY, Some("C1"))
        .school("S2", SchoolKind::Rural, Stages::PRIMARY, Some("C1"))
        .community("C1", Mode::Tight, &["S1"])
        .demand("S2", "语文", 16)
        .distance("S1", "S2", 10.0, 20.0);
    for i in 0..10 {
        b = b.teacher(TeacherSpec::new(&format!("T{i}"), "S1", "语文"));
    }
    // The builder checks nothing: names a spreadsheet would run, as a dataset cannot have.
    let mut ds = b.build();
    for t in &mut ds.teachers {
        t.name = "=HYPERLINK(\"x\")".into();
    }
    ds.schools[1].name = "@SUM(A1)".into();
    let (plan, _dir) = common::plan_and_check(&ds, &common::settings());
    let bytes = lungang::report::xlsx::plan_xlsx(&ds, &plan);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut strings = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut part, &mut text).unwrap();
        if part.name().starts_with("xl/worksheets/") {
            assert!(
                !text.contains("<f>") && !text.contains("<f "),
                "{}",
                part.name()
            );
        }
        if part.name() == "xl/sharedStrings.xml" {
            strings = text;
        }
    }
    assert!(
        strings.contains("=HYPERLINK(&quot;x&quot;)") || strings.contains("=HYPERLINK(\"x\")"),
        "{strings}"
    );
}

#[test]
fn ledger_rows_before_the_teacher_was_hired_are_warned_of() {
    let (_tmp, t) = tiny_copy();
    replace(
        &t.join("ledger.csv"),
        "T03,S01,S02,2023,2023",
        "T03,S01,S02,2001,2001",
    );
    // A warning: counties' own ledgers have such rows (../shared/instances), and the
    // county must still be planned.
    assert!(!is_error(&t));
    one_problem(&t, "ledger.csv:4:4: W0401 a term from 2001 of `T03`, hired in 2005: kept as written (expected start_year ≥ 2005)");
}

#[test]
fn a_ledger_term_of_2025_to_2099_is_refused() {
    let (_tmp, t) = tiny_copy();
    replace(
        &t.join("ledger.csv"),
        "T01,S01,S02,2024,2025",
        "T01,S01,S02,2025,2099",
    );
    one_problem(
        &t,
        "ledger.csv:2:5: E0408 a term of 75 school years (2025-2099)",
    );
}

#[test]
fn a_teacher_aged_125_is_refused() {
    let (_tmp, t) = tiny_copy();
    replace(
        &t.join("teachers.csv"),
        "T04,刘建国,S01,体育,,M,1966",
        "T04,刘建国,S01,体育,,M,1900",
    );
    one_problem(&t, "teachers.csv:5:7: E0210 a teacher of 125 in the plan year 2025 (expected birth_year ≥ 1950");
}

#[test]
fn a_distance_of_1e308_is_refused() {
    let (_tmp, t) = tiny_copy();
    replace(
        &t.join("distances.csv"),
        "S02,S03,15,20",
        "S02,S03,1e308,20",
    );
    one_problem(&t, "distances.csv:6:3: E0206 `km` = 1e308 is outside [0, 1000] (expected a decimal in [0, 1000])");
}

#[test]
fn a_community_with_no_members_is_warned() {
    let (_tmp, t) = tiny_copy();
    append(&t.join("communities.csv"), "C3,空共同体,tight,S06\n");
    append(&t.join("schools.csv"), "S06,新校,urban,primary,C3,\n");
    append(&t.join("distances.csv"), "S06,S01,5,10\n");
    assert!(!is_error(&t));
    one_problem(
        &t,
        "communities.csv:4:1: W0301 community `C3` has no member school",
    );
}

#[test]
fn a_rural_core_with_an_urban_member_is_warned() {
    let (_tmp, t) = tiny_copy();
    replace(
        &t.join("schools.csv"),
        "S04,青山镇中心小学,town",
        "S04,青山镇中心小学,rural",
    );
    replace(
        &t.join("schools.csv"),
        "S05,竹林村小学,rural",
        "S05,竹林村小学,urban",
    );
    assert!(!is_error(&t));
    one_problem(
        &t,
        "communities.csv:3:4: W0302 core `S04` is rural and its member `S05` is urban",
    );
}

#[test]
fn an_empty_county_is_refused() {
    let (_tmp, t) = tiny_copy();
    for f in ["communities.csv", "distances.csv", "ledger.csv"] {
        std::fs::remove_file(t.join(f)).unwrap();
    }
    std::fs::write(t.join("schools.csv"), "id,name,kind,stage\n").unwrap();
    std::fs::write(
        t.join("teachers.csv"),
        "id,name,school,subject,gender,birth_year,hire_year,school_since\n",
    )
    .unwrap();
    std::fs::write(t.join("demand.csv"), "school,subject,periods\n").unwrap();
    let p = problems(&t);
    assert!(is_error(&t));
    assert!(
        p.iter().any(|x| x.starts_with("schools.csv:1:1: E0110")),
        "{p:#?}"
    );
}

#[test]
fn demand_for_a_subject_nobody_teaches_is_warned() {
    let (_tmp, t) = tiny_copy();
    append(&t.join("demand.csv"), "S05,物理,8\n");
    assert!(!is_error(&t));
    one_problem(
        &t,
        "demand.csv:19:2: W0303 no teacher of the county teaches `物理`",
    );
}

#[test]
fn a_subject_with_a_space_is_warned_not_taken_silently() {
    let (_tmp, t) = tiny_copy();
    replace(
        &t.join("teachers.csv"),
        "T11,徐军,S02,语文",
        "T11,徐军,S02,语 文",
    );
    let p = problems(&t);
    assert!(!is_error(&t));
    assert!(
        p.iter().any(|x| x
            .starts_with("teachers.csv:12:4: W0201 subject `语 文` has a space inside")
            && x.contains("e.g. `语文`")),
        "{p:#?}"
    );
}

#[test]
fn periods_10001_state_the_real_range() {
    let (_tmp, t) = tiny_copy();
    replace(&t.join("demand.csv"), "S01,语文,32", "S01,语文,10001");
    one_problem(&t, "demand.csv:2:3: E0206 `periods` = 10001 is outside [0, 10000] (expected an integer in [0, 10000])");
}

#[test]
fn a_toml_syntax_error_is_one_line() {
    let (_tmp, t) = tiny_copy();
    append(&t.join("policy.toml"), "\n[rotation\n");
    let p = problems(&t);
    assert!(
        p.len() == 1 && p[0].contains("E0501 invalid TOML") && !p[0].contains('\n'),
        "{p:#?}"
    );
}

#[test]
fn an_unterminated_quote_is_named_where_it_opens() {
    let (_tmp, t) = tiny_copy();
    replace(&t.join("demand.csv"), "S02,音乐,2", "S02,\"音乐,2");
    one_problem(
        &t,
        "demand.csv:9:2: E0103 a quote opened in cell 2 never closes",
    );
}

#[test]
fn a_file_given_as_the_dataset_is_one_error() {
    let (_tmp, t) = tiny_copy();
    let file = t.join("schools.csv");
    let p = problems(&file);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(
        p[0].contains("E0101") && p[0].contains("is a file, not a dataset folder"),
        "{p:#?}"
    );
}

/// Found by fuzzing: calamine panicked on a cell naming a shared string the workbook
/// does not have.
#[test]
fn a_workbook_cell_naming_a_missing_shared_string_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good.xlsx");
    tiny_workbook(&good, &SHEETS, |_| {});
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
    let bad = tmp.path().join("bad.xlsx");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&bad).unwrap());
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut text).unwrap();
        if part.name() == "xl/worksheets/sheet1.xml" {
            let s = String::from_utf8(text).unwrap();
            let at = s.find("t=\"s\"><v>").expect("a shared string cell") + 9;
            let end = at + s[at..].find('<').unwrap();
            text = format!("{}2425{}", &s[..at], &s[end..]).into_bytes();
        }
        out.start_file(part.name(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap();
    let r = lungang_bounded(tmp.path(), &["validate", "bad.xlsx"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("bad.xlsx[schools]:1:1: E0101 the workbook is damaged"),
        "{}",
        r.stderr
    );
}

/// 99,000 rows of 250 empty cells beyond the header: 25 MB that took 636 MB as cells.
#[test]
fn rows_of_empty_cells_beyond_the_header_stay_small() {
    let (tmp, t) = tiny_copy();
    let row = format!("S01,x,1{}\n", ",".repeat(250));
    append(&t.join("demand.csv"), &row.repeat(99_000));
    let r = lungang_bounded(tmp.path(), &["validate", "T"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("demand.csv:19:4: E0103 row has 253 cells, the header 3"),
        "{}",
        &r.stderr[..r.stderr.len().min(3000)]
    );
}

/// "-" for "none" is text to a spreadsheet: not refused with the formulas.
#[test]
fn a_sign_alone_is_text_not_a_formula() {
    let (_tmp, t) = tiny_copy();
    replace(&t.join("teachers.csv"), "2015,高级,yes", "2015,-,yes");
    assert!(problems(&t).is_empty(), "{:#?}", problems(&t));
}
