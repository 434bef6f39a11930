/** The one stylesheet of Konsol, served from /konsol/assets/ (the CSP allows no inline style, the data centre may be offline). */
export const KONSOL_CSS_PATH = '/konsol/assets/konsol.css';

export const KONSOL_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f4f6f8}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.75rem 1rem;background:#0b4f6c;color:#fff}
header a,header button{color:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
.card{background:#fff;border:1px solid #d5dbe1;border-radius:6px;padding:1rem;margin:0 0 1rem;overflow-wrap:anywhere}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{width:100%;max-width:24rem;padding:.5rem;font:inherit;border:1px solid #8a96a3;border-radius:4px}
button{font:inherit;padding:.5rem 1rem;border-radius:4px;border:1px solid #0b4f6c;background:#0b4f6c;color:#fff;cursor:pointer}
header button{background:transparent;border-color:#fff}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.inline{display:inline}
.error{color:#a4000f;font-weight:600}
.notice{color:#1d6b2f;font-weight:600}
.status-up{color:#1d6b2f}.status-down{color:#a4000f}.status-maintenance{color:#8a5a00}
ul.targets{padding-left:1.2rem;margin:.25rem 0}
.qr svg{width:12rem;height:12rem;background:#fff}
ul.codes{columns:2;font-size:1.1rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #d5dbe1;vertical-align:top}
dt{font-weight:600}dd{margin:0 0 .5rem}
table.traffic th,table.traffic td{white-space:nowrap;overflow-wrap:normal}table.traffic td{text-align:right}
header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem}ul.plain{list-style:none;padding:0;margin:0}
textarea,select{width:100%;max-width:40rem;padding:.5rem;font:inherit;border:1px solid #8a96a3;border-radius:4px}textarea{font-family:ui-monospace,monospace;font-size:.9rem}label.check{font-weight:400}label.check input{width:auto;margin-right:.5rem}textarea:focus-visible,select:focus-visible{outline:3px solid #f0a500;outline-offset:2px}[aria-invalid=true]{border:2px solid #a4000f}fieldset{border:1px solid #d5dbe1;border-radius:6px;margin:0 0 1rem;padding:.5rem 1rem 1rem}legend{font-weight:700}.hint{color:#4a5560;font-size:.9rem;margin:.25rem 0}
`;
