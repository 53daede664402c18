import { BadRequestException } from '@nestjs/common';
import { parseBasicCredentials } from '../../../src/http/auth/basic-auth.guard';
import { parseQueryFlag } from '../../../src/http/common/query-flag.decorator';
import { exchangeNameInUrl, ExchangeNamePipe } from '../../../src/http/common/exchange-name.pipe';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('parseBasicCredentials', () => {
  it('splits at the first colon, so passwords may contain colons', () => {
    expect(parseBasicCredentials(basic('guest:pa:ss'))).toEqual({ name: 'guest', password: 'pa:ss' });
    expect(parseBasicCredentials(basic('guest:'))).toEqual({ name: 'guest', password: '' });
    expect(parseBasicCredentials(`basic ${Buffer.from('a:b').toString('base64')}`)).toEqual({ name: 'a', password: 'b' });
  });

  it.each([undefined, '', 'Bearer x', 'Basic', 'Basic !!!', basic('no-colon')])('refuses %p', (header) => {
    expect(parseBasicCredentials(header)).toBeUndefined();
  });
});

describe('parseQueryFlag', () => {
  it('reads absent and false as false, true as true', () => {
    expect(parseQueryFlag('if-unused', undefined)).toBe(false);
    expect(parseQueryFlag('if-unused', 'false')).toBe(false);
    expect(parseQueryFlag('if-unused', 'true')).toBe(true);
  });

  it.each(['', 'yes', 'True', '1', ['true', 'true']])('refuses %p with a 400 naming the parameter', (value) => {
    expect(() => parseQueryFlag('if-empty', value)).toThrow(BadRequestException);
    expect(() => parseQueryFlag('if-empty', value)).toThrow(/'if-empty' accepts true or false/);
  });
});

describe('the default exchange in URLs', () => {
  it('reads amq.default as the default exchange and writes it back so', () => {
    const pipe = new ExchangeNamePipe();
    expect(pipe.transform('amq.default')).toBe('');
    expect(pipe.transform('amq.direct')).toBe('amq.direct');
    expect(exchangeNameInUrl('')).toBe('amq.default');
    expect(exchangeNameInUrl('a/b')).toBe('a%2Fb');
  });
});
