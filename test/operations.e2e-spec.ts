import SwaggerParser from '@apidevtools/swagger-parser';
import { createTestApp, TestApp } from './create-test-app';

describe('Health, API documents and configuration', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports healthy when the database answers', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', db: 'up' });
  });

  it('publishes an OpenAPI document that a standard validator accepts', async () => {
    const response = await t.http.get('/api/docs-json').expect(200);
    const document = await SwaggerParser.validate(structuredClone(response.body));
    expect(document.info.title).toBe('Digital Media Lab');
    const paths = Object.keys(response.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/equipment',
        '/api/equipment/{slug}',
        '/api/hours',
        '/health',
      ]),
    );
    const manual = response.body.components.schemas.CreateManualDto;
    expect(manual.properties.estimatedMinutes.items.type).toBe('integer');
    expect(manual.required).not.toContain('bring');
    const register = response.body.components.schemas.RegisterDto;
    expect(register.required).toEqual(
      expect.arrayContaining(['cardNumber', 'pin', 'name', 'email', 'birthDate']),
    );
  });

  it('serves the Swagger UI', async () => {
    const response = await t.http.get('/api/docs').redirects(1).expect(200);
    expect(response.text).toMatch(/swagger-ui/i);
  });

  it('sends security headers', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await t.http.get('/api/nothing-here').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['LIBRARY_TIMEZONE', 'Mars/Olympus', /LIBRARY_TIMEZONE must be an IANA time zone/],
    ['SMTP_URL', 'mail.example.org', /SMTP_URL must be a URL/],
    ['DEMO_USERS', 'perhaps', /DEMO_USERS must be true or false/],
  ])('refuses to start when %s is %p, naming the variable', async (name, value, message) => {
    await expect(createTestApp({ env: { [name]: value } })).rejects.toThrow(message);
  });
});
