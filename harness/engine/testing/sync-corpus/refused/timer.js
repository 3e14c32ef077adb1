import http from 'k6/http';

export default function () {
  setTimeout(() => {
    http.get(`${__ENV.BASE}/later`);
  }, 10);
}
