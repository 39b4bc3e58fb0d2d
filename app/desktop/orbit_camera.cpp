#include "orbit_camera.h"

#include <QtMath>

#include <algorithm>
#include <cmath>

namespace telar::desktop {

OrbitCamera::OrbitCamera() {
    resetOrientation();
}

void OrbitCamera::resetOrientation() {
    // Spin the scene 45° about Z, make Z point up the screen, then look down at it by 30°.
    m_rotation = QQuaternion::fromAxisAndAngle(1, 0, 0, 30.0f) *
                 QQuaternion::fromAxisAndAngle(1, 0, 0, -90.0f) *
                 QQuaternion::fromAxisAndAngle(0, 0, 1, -45.0f);
}

void OrbitCamera::setView(const QQuaternion& rotation, const QVector3D& target, float distance,
                          float radius) {
    m_rotation = rotation.normalized();
    m_target = target;
    m_distance = std::max(distance, 1e-3f);
    m_radius = std::max(radius, 1e-3f);
}

void OrbitCamera::fit(const QVector3D& min, const QVector3D& max, float aspect) {
    m_target = (min + max) * 0.5f;
    m_radius = std::max((max - min).length() * 0.5f, 1e-3f);
    // The bounding sphere fits the narrower of the two fields of view.
    const float halfFovY = qDegreesToRadians(m_fovY * 0.5f);
    const float halfFovX = std::atan(std::tan(halfFovY) * (aspect > 0 ? aspect : 1.0f));
    m_distance = m_radius / std::sin(std::min(halfFovX, halfFovY)) * 1.05f;
}

void OrbitCamera::orbit(float dx, float dy) {
    constexpr float degreesPerPixel = 0.4f;
    m_rotation = QQuaternion::fromAxisAndAngle(1, 0, 0, dy * degreesPerPixel) *
                 QQuaternion::fromAxisAndAngle(0, 1, 0, dx * degreesPerPixel) * m_rotation;
    m_rotation.normalize();
}

void OrbitCamera::pan(float dx, float dy, int viewportHeight) {
    if (viewportHeight <= 0) return;
    const float worldPerPixel =
        2.0f * m_distance * std::tan(qDegreesToRadians(m_fovY * 0.5f)) / static_cast<float>(viewportHeight);
    const QQuaternion inverse = m_rotation.conjugated();
    const QVector3D right = inverse.rotatedVector({1, 0, 0});
    const QVector3D up = inverse.rotatedVector({0, 1, 0});
    m_target -= right * (dx * worldPerPixel);
    m_target += up * (dy * worldPerPixel);
}

void OrbitCamera::zoom(float steps) {
    m_distance *= std::pow(0.85f, steps);
    m_distance = std::clamp(m_distance, m_radius * 0.01f, m_radius * 100.0f);
}

QMatrix4x4 OrbitCamera::viewMatrix() const {
    QMatrix4x4 view;
    view.translate(0, 0, -m_distance);
    view.rotate(m_rotation);
    view.translate(-m_target);
    return view;
}

QMatrix4x4 OrbitCamera::projectionMatrix(float aspect) const {
    QMatrix4x4 projection;
    const float nearPlane = std::max(m_distance - m_radius * 2.0f, m_distance * 0.01f);
    const float farPlane = m_distance + m_radius * 2.0f;
    projection.perspective(m_fovY, aspect > 0 ? aspect : 1.0f, nearPlane, farPlane);
    return projection;
}

} // namespace telar::desktop
