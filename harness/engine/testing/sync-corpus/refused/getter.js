import http from 'k6/http';

const session = {
  get token() {
    return http.get(`${__ENV.BASE}/token`).body;
  },
};

export default function () {
  console.log(session.token);
}
