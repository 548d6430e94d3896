/** Something the parser noticed: a cell it could not read, a repair it made, a part that is missing. */
export interface Diagnostic {
  level: 'info' | 'warning' | 'error';
  message: string;
  /** 1-based line (text) or row (spreadsheet) of the source; 0 when it concerns the whole document. */
  line: number;
  sheet?: string;
}

export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  info(line: number, message: string): void {
    this.items.push({ level: 'info', message, line });
  }
  warn(line: number, message: string): void {
    this.items.push({ level: 'warning', message, line });
  }
  error(line: number, message: string): void {
    this.items.push({ level: 'error', message, line });
  }
}
