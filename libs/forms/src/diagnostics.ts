/**
 * Something the parser noticed: a cell it could not read, a repair it made, a part that is missing. Said twice: in
 * English (`message`, for logs and API clients) and in Chinese (`messageZh`, what a budget unit reads on its pages).
 */
export interface Diagnostic {
  level: 'info' | 'warning' | 'error';
  message: string;
  messageZh: string;
  /** 1-based line (text) or row (spreadsheet) of the source; 0 when it concerns the whole document. */
  line: number;
  sheet?: string;
}

export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  info(line: number, message: string, messageZh: string): void {
    this.items.push({ level: 'info', message, messageZh, line });
  }
  warn(line: number, message: string, messageZh: string): void {
    this.items.push({ level: 'warning', message, messageZh, line });
  }
  error(line: number, message: string, messageZh: string): void {
    this.items.push({ level: 'error', message, messageZh, line });
  }
}
