//! The report's style sheet, screen and print. Printing report.html gives the whole report
//! with each school's page on a page of its own; printing `report.html#school-ID` (the
//! link on each school's page) gives that school's page alone, so a principal can be
//! handed their school's list without the rest.

pub(crate) const CSS: &str = "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:0 auto;max-width:1280px;padding:0 16px 40px;color:#222}
h1{font-size:1.6em;margin:16px 0 4px}h2{border-bottom:2px solid #888;padding-bottom:2px;margin-top:32px}h3{margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 6px;font-size:13px;vertical-align:top}th{background:#eee}
td.n{text-align:right}td.why{font-size:12px;min-width:260px;max-width:460px;color:#444}.ok{color:#1a7f37}.broken{color:#b42318;font-weight:bold}tr.broken td{background:#fdecea}
.mapwrap{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}.side{font-size:13px;max-width:260px}
.focus-list{list-style:none;padding:0;margin:0;font-size:12px;line-height:1.7}.focus-list li{display:inline-block;margin-right:8px;white-space:nowrap}
.heat td{text-align:center;min-width:64px}.h0{background:#d9f0d3}.h1{background:#fee08b}.h2{background:#f4a582}.h3{background:#d6604d;color:#fff}.na{background:#f6f6f6;color:#aaa}
.muted{color:#777;font-size:13px}.short{color:#b42318}.tt td{min-width:150px}.kpi span{display:inline-block;margin-right:18px}
.status{font-size:1.1em;margin:8px 0}.status.done{color:#1a7f37}.status.open{color:#9a6700}
nav.toc{font-size:13px;margin:6px 0 0}nav.toc a{margin-right:12px}
.school-page{border-top:1px dashed #aaa;margin-top:24px}.school-page h3{font-size:1.25em}.school-index a{margin-right:10px;white-space:nowrap}
details.appendix{margin-top:32px;font-size:13px;color:#555}
@media print{
@page{size:A4;margin:14mm}
body{max-width:none;padding:0;font-size:11pt}
nav.toc,.noprint,details.appendix{display:none}
h2,h3{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}
th,td{font-size:10pt}
#map{max-width:100%;height:auto}
.school-page{break-before:page;border-top:none;margin-top:0}
body:has(.school-page:target)>:not(#schools){display:none}
body:has(.school-page:target) #schools>:not(.school-page:target){display:none}
body:has(.school-page:target) .school-page:target{break-before:auto}
}";
