import http from 'k6/http';

class Session {
  constructor() {
    this.token = http.post(`${__ENV.BASE}/login`).json('token');
  }
}

export default function () {
  return new Session().token;
}
