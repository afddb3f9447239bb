import { HTML, jpeg, png, SVG } from '../../test/image-files';
import { sniffImage } from './image-format';

describe(sniffImage.name, () => {
  it('knows a PNG by its bytes and reads its size', () => {
    expect(sniffImage(png(4, 3))).toEqual({
      extension: 'png',
      contentType: 'image/png',
      width: 4,
      height: 3,
    });
  });

  it('knows a JPEG by its bytes and reads its size from the frame', () => {
    expect(sniffImage(jpeg(5, 2))).toEqual({
      extension: 'jpg',
      contentType: 'image/jpeg',
      width: 5,
      height: 2,
    });
  });

  it('knows GIF and WebP', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([7, 0, 9, 0])]);
    expect(sniffImage(gif)).toMatchObject({ extension: 'gif', width: 7, height: 9 });
    const webp = Buffer.concat([
      Buffer.from('RIFF', 'latin1'),
      Buffer.alloc(4),
      Buffer.from('WEBPVP8X', 'latin1'),
      Buffer.alloc(8),
      Buffer.from([9, 0, 0, 4, 0, 0]),
    ]);
    expect(sniffImage(webp)).toMatchObject({ extension: 'webp', width: 10, height: 5 });
  });

  it.each([
    ['SVG', SVG],
    ['SVG', Buffer.from('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"></svg>')],
    ['HTML', HTML],
    ['PDF', Buffer.from('%PDF-1.7')],
    ['an empty file', Buffer.alloc(0)],
    ['a file of an unknown kind', Buffer.from('hello')],
  ])('refuses %s, whatever it is called', (found, bytes) => {
    expect(sniffImage(bytes)).toEqual({ found });
  });
});
